import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';

/**
 * The schema as an append-only list of migrations: a released migration is never edited, a change
 * is a new entry. Written with Kysely's schema builder so that the same code creates the same
 * tables on SQLite and PostgreSQL.
 */
const MIGRATIONS: Record<string, Migration> = {
  '0001_accounts_projects_teams': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', col => col.primaryKey())
        .addColumn('name', 'text', col => col.notNull().unique())
        .addColumn('is_admin', 'integer', col => col.notNull().defaultTo(0))
        .addColumn('created_at', 'text', col => col.notNull())
        .execute();
      await db.schema
        .createTable('api_tokens')
        .addColumn('id', 'text', col => col.primaryKey())
        .addColumn('user_id', 'text', col => col.notNull().references('users.id').onDelete('cascade'))
        .addColumn('token_hash', 'text', col => col.notNull().unique())
        .addColumn('note', 'text', col => col.notNull().defaultTo(''))
        .addColumn('created_at', 'text', col => col.notNull())
        .addColumn('last_used_at', 'text')
        .execute();
      await db.schema.createIndex('api_tokens_user').on('api_tokens').column('user_id').execute();
      await db.schema
        .createTable('projects')
        .addColumn('id', 'text', col => col.primaryKey())
        .addColumn('owner_id', 'text', col => col.notNull().references('users.id').onDelete('restrict'))
        .addColumn('name', 'text', col => col.notNull())
        .addColumn('description', 'text', col => col.notNull().defaultTo(''))
        .addColumn('visibility', 'text', col => col.notNull().check(sql`visibility IN ('private', 'hub')`))
        .addColumn('created_at', 'text', col => col.notNull())
        .addColumn('updated_at', 'text', col => col.notNull())
        .addUniqueConstraint('projects_owner_name', ['owner_id', 'name'])
        .execute();
      await db.schema
        .createTable('teams')
        .addColumn('id', 'text', col => col.primaryKey())
        .addColumn('name', 'text', col => col.notNull().unique())
        .addColumn('description', 'text', col => col.notNull().defaultTo(''))
        .addColumn('source', 'text', col => col.notNull().check(sql`source IN ('hubshare', 'hub')`))
        .addColumn('created_at', 'text', col => col.notNull())
        .execute();
      await db.schema
        .createTable('team_members')
        .addColumn('team_id', 'text', col => col.notNull().references('teams.id').onDelete('cascade'))
        .addColumn('user_id', 'text', col => col.notNull().references('users.id').onDelete('cascade'))
        .addColumn('role', 'text', col => col.notNull().check(sql`role IN ('member', 'maintainer')`))
        .addColumn('created_at', 'text', col => col.notNull())
        .addPrimaryKeyConstraint('team_members_pk', ['team_id', 'user_id'])
        .execute();
      await db.schema.createIndex('team_members_user').on('team_members').column('user_id').execute();
      for (const [table, subject, references] of [
        ['user_grants', 'user_id', 'users.id'],
        ['team_grants', 'team_id', 'teams.id']
      ] as const) {
        await db.schema
          .createTable(table)
          .addColumn('project_id', 'text', col => col.notNull().references('projects.id').onDelete('cascade'))
          .addColumn(subject, 'text', col => col.notNull().references(references).onDelete('cascade'))
          .addColumn('level', 'text', col => col.notNull().check(sql`level IN ('read', 'write', 'admin')`))
          .addColumn('created_at', 'text', col => col.notNull())
          .addPrimaryKeyConstraint(`${table}_pk`, ['project_id', subject])
          .execute();
        await db.schema.createIndex(`${table}_subject`).on(table).column(subject).execute();
      }
    }
  },
  // 0002 is the event feed's (on its own branch); pages come after it.
  '0003_pages': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('projects')
        .addColumn('pages', 'text', col => col.notNull().defaultTo('off').check(sql`pages IN ('off', 'project', 'hub')`))
        .execute();
    }
  }
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/**
 * Brings the schema up to date; safe at every start and from several processes at once (Kysely's
 * migrator takes a lock in the database).
 * @throws Error naming the migration that failed.
 */
export async function migrate(db: Kysely<unknown>): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    const failed = results?.find(result => result.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Could not bring the database schema up to date (migration ${failed}): ${String(error)}`);
  }
}
