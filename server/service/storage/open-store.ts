import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { join } from 'node:path';
import pg from 'pg';
import { migrate } from './migrations';
import type { HubShareSchema } from './schema';
import { advisoryLocks, type ProjectLocks, processLocks } from './project-locks';

export type Store = Kysely<HubShareSchema>;

/** True in the bundle the Python package carries, where SQLite's addon sits beside the script. */
declare const __HUBSHARE_BUNDLED__: boolean;

function openSqlite(file: string): BetterSqlite3.Database {
  return new BetterSqlite3(file, __HUBSHARE_BUNDLED__ ? { nativeBinding: join(__dirname, 'better_sqlite3.node') } : {});
}

/** Which engine a store runs on, for health answers and the few dialect differences. */
export type Engine = 'sqlite' | 'postgres';

/** An open metadata store, and how to close it. */
export interface OpenStore {
  db: Store;
  engine: Engine;
  /** Pushes' turns on a project across the processes on this store (`project-locks.ts`). */
  locks: ProjectLocks;
  /** The connection pools' figures, for metrics: the store's and the push locks' (none on SQLite). */
  pools(): PoolStats[];
  /** Resolves once every database connection is closed, not merely asked to close. */
  close(): Promise<void>;
}

/** One connection pool's figures at this moment. */
export interface PoolStats {
  pool: 'store' | 'locks';
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

function poolStats(pool: 'store' | 'locks', of: pg.Pool, max: number): PoolStats {
  return { pool, total: of.totalCount, idle: of.idleCount, waiting: of.waitingCount, max };
}

/**
 * A PostgreSQL pool that outlives the connections the server ends (a restart, a failover, an
 * administrator): an idle connection's error is handed to `onConnectionError` instead of going
 * unhandled (which ends the process), and the next query opens a new connection.
 */
function postgresPool(url: string, onConnectionError: (error: Error) => void, max: number): { pool: pg.Pool; closed(): Promise<void> } {
  const pool = new pg.Pool({ connectionString: url, max });
  let open = 0;
  let whenNoneOpen: (() => void) | undefined;
  pool.on('error', onConnectionError);
  pool.on('connect', () => {
    open += 1;
  });
  pool.on('remove', () => {
    open -= 1;
    if (open === 0) {
      whenNoneOpen?.();
    }
  });
  // pool.end() resolves when it has asked its connections to end; they close a moment later.
  const closed = () => (open === 0 ? Promise.resolve() : new Promise<void>(resolve => (whenNoneOpen = resolve)));
  return { pool, closed };
}

/** The embedded database's file in the data directory. */
export const SQLITE_FILE = 'hubshare.sqlite3';

const STORE_CONNECTIONS = 10;
const LOCK_CONNECTIONS = 64;

/**
 * Opens the metadata store with its schema up to date: PostgreSQL when a `postgres://` URL is
 * given, else the embedded SQLite file in the data directory.
 */
export async function openStore(options: {
  dataDir: string;
  databaseUrl?: string;
  /** Told when PostgreSQL ends a connection the pool held idle; by default nothing is said. */
  onConnectionError?: (error: Error) => void;
}): Promise<OpenStore> {
  let db: Store;
  let engine: Engine;
  let locks = processLocks;
  let connectionsClosed = () => Promise.resolve();
  let pools = (): PoolStats[] => [];
  if (options.databaseUrl) {
    engine = 'postgres';
    const onError = options.onConnectionError ?? (() => undefined);
    const { pool, closed } = postgresPool(options.databaseUrl, onError, STORE_CONNECTIONS);
    // One connection per push under way, each holding its project's lock (project-locks.ts).
    const lockPool = postgresPool(options.databaseUrl, onError, LOCK_CONNECTIONS);
    pools = () => [poolStats('store', pool, STORE_CONNECTIONS), poolStats('locks', lockPool.pool, LOCK_CONNECTIONS)];
    locks = advisoryLocks(lockPool.pool);
    connectionsClosed = async () => {
      await lockPool.pool.end();
      await Promise.all([closed(), lockPool.closed()]);
    };
    db = new Kysely<HubShareSchema>({ dialect: new PostgresDialect({ pool }) });
  } else {
    engine = 'sqlite';
    const sqlite = openSqlite(join(options.dataDir, SQLITE_FILE));
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
    await connectionsClosed();
    throw error;
  }
  return {
    db,
    engine,
    locks,
    pools,
    async close() {
      await db.destroy();
      await connectionsClosed();
    }
  };
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
