import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { join } from 'node:path';
import pg from 'pg';
import { migrate } from './migrations';
import type { HubShareSchema } from './schema';

export type Store = Kysely<HubShareSchema>;

/** True in the bundle the Python package carries, where SQLite's addon sits beside the script. */
declare const __HUBSHARE_BUNDLED__: boolean;

function openSqlite(file: string): BetterSqlite3.Database {
  return new BetterSqlite3(file, __HUBSHARE_BUNDLED__ ? { nativeBinding: join(__dirname, 'better_sqlite3.node') } : {});
}

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
    const sqlite = openSqlite(join(options.dataDir, 'hubshare.sqlite3'));
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    db = new Kysely<HubShareSchema>({ dialect: new SqliteDialect({ database: sqlite }) });
  }
  try {
    if (engine === 'sqlite') {
      await withMigrationLock(join(options.dataDir, 'hubshare.migration-lock.sqlite3'), () => migrate(db as Kysely<unknown>));
    } else {
      await migrate(db as Kysely<unknown>);
    }
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { db, engine };
}

/**
 * Runs `work` while holding a write lock on a small SQLite file beside the database. Kysely's
 * migrator takes no lock on SQLite, so without this two processes opening a new data dir at once
 * (the service and a CLI command) would both create the tables. SQLite's own file locking does the
 * waiting, and the operating system releases the lock if a process dies holding it.
 */
async function withMigrationLock(lockFile: string, work: () => Promise<void>): Promise<void> {
  const lock = openSqlite(lockFile);
  try {
    lock.pragma('busy_timeout = 30000');
    lock.exec('BEGIN IMMEDIATE');
    try {
      await work();
    } finally {
      lock.exec('ROLLBACK');
    }
  } finally {
    lock.close();
  }
}

/** Whether a database error is a UNIQUE / PRIMARY KEY violation, on either engine. */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Error)) {
    return false;
  }
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
