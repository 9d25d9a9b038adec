import { type Kysely, type Migration, type MigrationProvider, Migrator, PostgresAdapter, sql } from 'kysely';

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
  '0002_events_webhooks': {
    async up(db: Kysely<unknown>) {
      // The event feed's cursor is `seq`: an integer that only grows. The one dialect difference
      // in the schema: SQLite's AUTOINCREMENT (never reuses a number) vs PostgreSQL's identity.
      const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
      await db.schema
        .createTable('events')
        .addColumn('seq', 'integer', col =>
          postgres ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement()
        )
        .addColumn('type', 'text', col => col.notNull())
        .addColumn('created_at', 'text', col => col.notNull())
        .addColumn('actor', 'text', col => col.notNull())
        // No foreign keys: an event outlives the project, team or user it is about.
        .addColumn('project_id', 'text')
        .addColumn('team_id', 'text')
        .addColumn('subject_user_id', 'text')
        .addColumn('audience', 'text')
        .addColumn('data', 'text', col => col.notNull())
        .execute();
      await db.schema.createIndex('events_project').on('events').columns(['project_id', 'type']).execute();
      await db.schema.createIndex('events_team').on('events').columns(['team_id', 'type']).execute();
      await db.schema
        .createTable('webhooks')
        .addColumn('id', 'text', col => col.primaryKey())
        // Exactly one of project_id and team_id; no foreign key, so a deleted project's webhooks
        // still receive its project.deleted event (the delivery worker removes them afterwards).
        .addColumn('project_id', 'text')
        .addColumn('team_id', 'text')
        .addColumn('url', 'text', col => col.notNull())
        .addColumn('secret', 'text', col => col.notNull())
        .addColumn('created_by', 'text', col => col.notNull())
        .addColumn('created_at', 'text', col => col.notNull())
        .addCheckConstraint('webhooks_one_owner', sql`(project_id IS NULL) <> (team_id IS NULL)`)
        .execute();
      await db.schema.createIndex('webhooks_project').on('webhooks').column('project_id').execute();
      await db.schema.createIndex('webhooks_team').on('webhooks').column('team_id').execute();
      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('id', 'text', col => col.primaryKey())
        .addColumn('webhook_id', 'text', col => col.notNull().references('webhooks.id').onDelete('cascade'))
        .addColumn('event_seq', 'integer', col => col.notNull().references('events.seq'))
        .addColumn('status', 'text', col => col.notNull().check(sql`status IN ('pending', 'delivered', 'failed')`))
        .addColumn('attempts', 'integer', col => col.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'text', col => col.notNull())
        .addColumn('last_attempt_at', 'text')
        .addColumn('response_status', 'integer')
        .addColumn('error', 'text')
        .addColumn('created_at', 'text', col => col.notNull())
        .execute();
      await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
      await db.schema.createIndex('webhook_deliveries_webhook').on('webhook_deliveries').columns(['webhook_id', 'event_seq']).execute();
    }
  },
  '0003_pages': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('projects')
        .addColumn('pages', 'text', col => col.notNull().defaultTo('off').check(sql`pages IN ('off', 'project', 'hub')`))
        .execute();
    }
  },
  '0004_listing': {
    async up(db: Kysely<unknown>) {
      // The listing's sources of a level (project-listing.ts): projects open to the hub, and a
      // team grant's team joined from its members (the grant tables' keys start with the project).
      await db.schema.createIndex('projects_visibility').on('projects').column('visibility').execute();
      await db.schema.createIndex('team_grants_team_project').on('team_grants').columns(['team_id', 'project_id', 'level']).execute();
      await db.schema.createIndex('user_grants_user_project').on('user_grants').columns(['user_id', 'project_id', 'level']).execute();
    }
  },
  '0005_repository_states': {
    async up(db: Kysely<unknown>) {
      // The refs each push recorded (schema.ts, RepositoryStatesTable). Projects that exist now
      // get no row: where their refs stood at their last push is not known, so they are taken
      // as they are at their next push or start.
      await db.schema
        .createTable('repository_states')
        .addColumn('project_id', 'text', col => col.primaryKey().references('projects.id').onDelete('cascade'))
        .addColumn('refs', 'text', col => col.notNull())
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
