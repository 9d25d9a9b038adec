import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { join } from 'node:path';
import pg from 'pg';
import { migrate } from './migrations';
import type { HubShareSchema } from './schema';

export type Store = Kysely<HubShareSchema>;

/** Which engine a store runs on, for health answers and the few dialect differences. */
export type Engine = 'sqlite' | 'postgres';

/**
 * Opens the metadata store with its schema up to date: PostgreSQL when a `postgres://` URL is
 * given, else the embedded SQLite file in the data directory.
 */
export async function openStore(options: { dataDir: string; databaseUrl?: string }): Promise<{ db: Store; engine: Engine }> {
  let db: Store;
  let engine: Engine;
  if (options.databaseUrl) {
    engine = 'postgres';
    db = new Kysely<HubShareSchema>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: options.databaseUrl, max: 10 }) })
    });
  } else {
    engine = 'sqlite';
    const sqlite = new BetterSqlite3(join(options.dataDir, 'hubshare.sqlite3'));
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    db = new Kysely<HubShareSchema>({ dialect: new SqliteDialect({ database: sqlite }) });
  }
  try {
    await migrate(db as Kysely<unknown>);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { db, engine };
}
