import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from './storage/database';
import { migrate } from './storage/migrations';
import { SqliteDatabase } from './storage/sqlite-database';

/**
 * Opens the embedded default store: a private data directory holding the SQLite file (and, later,
 * the bare repositories), with the schema brought up to date.
 */
export async function openDataDir(dataDir: string): Promise<Database> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new SqliteDatabase(join(dataDir, 'hubshare.sqlite3'));
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
