import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../server/service/storage/migrations';
import { SqliteDatabase } from '../../../server/service/storage/sqlite-database';
import { temporaryDirectory } from '../http-harness';

const run = promisify(execFile);
const bin = join(__dirname, '..', '..', '..', 'bin', 'hubshare-service.cjs');

describe('migrate', () => {
  let dir: ReturnType<typeof temporaryDirectory>;
  beforeEach(() => {
    dir = temporaryDirectory();
  });
  afterEach(() => dir.remove());

  it('is idempotent', async () => {
    const db = new SqliteDatabase(join(dir.path, 'hubshare.sqlite3'));
    await migrate(db);
    await migrate(db);
    const versions = await db.all<{ version: number }>('SELECT version FROM schema_migrations');
    expect(versions.map(row => row.version)).toEqual([1]);
    await db.close();
  });

  it('lets several processes open the same new data dir at once (service and CLI starting together)', async () => {
    const names = ['ann', 'ben', 'cat', 'dan'];
    await Promise.all(names.map(name => run(process.execPath, [bin, 'user', 'add', name, '--data-dir', dir.path])));
    const db = new SqliteDatabase(join(dir.path, 'hubshare.sqlite3'));
    const users = await db.all<{ name: string }>('SELECT name FROM users ORDER BY name');
    expect(users.map(user => user.name)).toEqual(names);
    await db.close();
  });
});
