import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, type Engine, type PoolStats, type Store } from './storage/open-store';
import type { ProjectLocks } from './storage/project-locks';

/** The service's persistent state: the metadata store and where bare repositories live. */
export interface ServiceData {
  db: Store;
  engine: Engine;
  /** Pushes' turns on a project across the processes sharing this data (replicas on PostgreSQL). */
  locks: ProjectLocks;
  repositoriesDir: string;
  /** The database connection pools' figures, for metrics. */
  pools(): PoolStats[];
  /** Resolves once the store's connections are closed. */
  close(): Promise<void>;
}

/**
 * Opens the data directory (private, created if missing) and the metadata store: PostgreSQL when
 * a URL is given, else SQLite inside the data directory. Repositories always live on disk under
 * the data directory, so several replicas share them through the volume.
 */
export async function openServiceData(options: {
  dataDir: string;
  databaseUrl?: string;
  /** Told when PostgreSQL ends an idle connection (the service goes on; the next query reconnects). */
  onConnectionError?: (error: Error) => void;
}): Promise<ServiceData> {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const repositoriesDir = join(options.dataDir, 'repositories');
  mkdirSync(repositoriesDir, { recursive: true, mode: 0o700 });
  const { db, engine, locks, pools, close } = await openStore(options);
  return { db, engine, locks, repositoriesDir, pools, close };
}
