import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openServiceData } from '../../../server/service/data-dir';
import { temporaryDirectory } from '../http-harness';

const run = promisify(execFile);
const bin = join(__dirname, '..', '..', '..', 'bin', 'hubshare-service.cjs');

describe('opening a data dir', () => {
  let dir: ReturnType<typeof temporaryDirectory>;
  beforeEach(() => {
    dir = temporaryDirectory();
  });
  afterEach(() => dir.remove());

  it('creates the schema once and keeps the data on every later start', async () => {
    const first = await openServiceData({ dataDir: dir.path });
    await first.db.insertInto('users').values({ id: 'u1', name: 'ann', is_admin: 0, created_at: 'now' }).execute();
    await first.close();
    const second = await openServiceData({ dataDir: dir.path });
    expect(await second.db.selectFrom('users').select('name').execute()).toEqual([{ name: 'ann' }]);
    await second.close();
  });

  it('lets several processes open the same new data dir at once (service and CLI starting together)', async () => {
    const names = ['ann', 'ben', 'cat', 'dan', 'eve', 'fay'];
    await Promise.all(names.map(name => run(process.execPath, [bin, 'user', 'add', name, '--data-dir', dir.path])));
    const data = await openServiceData({ dataDir: dir.path });
    const users = await data.db.selectFrom('users').select('name').orderBy('name').execute();
    expect(users.map(user => user.name)).toEqual(names);
    await data.close();
  });
});
