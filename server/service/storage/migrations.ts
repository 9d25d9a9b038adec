import type { Database } from './database';

/**
 * The schema, as an append-only list: a released migration is never edited, a change is a new
 * entry. SQL here must run unchanged on SQLite and PostgreSQL (TEXT ids, ISO-8601 TEXT times,
 * INTEGER flags).
 */
const MIGRATIONS: readonly { version: number; statements: readonly string[] }[] = [
  {
    version: 1,
    statements: [
      `CREATE TABLE users (
         id TEXT PRIMARY KEY,
         name TEXT NOT NULL UNIQUE,
         is_admin INTEGER NOT NULL DEFAULT 0,
         created_at TEXT NOT NULL
       )`,
      `CREATE TABLE api_tokens (
         id TEXT PRIMARY KEY,
         user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
         token_hash TEXT NOT NULL UNIQUE,
         note TEXT NOT NULL DEFAULT '',
         created_at TEXT NOT NULL,
         last_used_at TEXT
       )`,
      `CREATE INDEX api_tokens_user ON api_tokens(user_id)`
    ]
  }
];

/**
 * Brings the schema up to date; safe to run at every start, and from several processes at once
 * (the service and a CLI command): each migration re-checks, inside its own transaction, that no
 * one applied it first.
 */
export async function migrate(db: Database): Promise<void> {
  await db.run('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  for (const migration of MIGRATIONS) {
    await db.transaction(async tx => {
      const applied = await tx.first('SELECT version FROM schema_migrations WHERE version = $1', [migration.version]);
      if (applied) {
        return;
      }
      for (const statement of migration.statements) {
        await tx.run(statement);
      }
      await tx.run('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [
        migration.version,
        new Date().toISOString()
      ]);
    });
  }
}
