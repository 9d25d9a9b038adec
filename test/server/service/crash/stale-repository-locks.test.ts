// A service killed while git updated a project's ref leaves git's lock files behind (seen under
// kill -9: `refs/heads/main.lock`, `HEAD.lock`) and the push's quarantine folder. git refuses
// every later ref update while the lock is there, so the project stayed unpushable until someone
// removed it by hand. These leave the files exactly as a killed git does.
import { existsSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { sql } from 'kysely';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../../http-harness';
import { cloneUrl, GitClient } from '../git-client';
import { callApi, repositoryOf, startTestService, type TestService } from '../service-harness';
import { PUSH_LOCKS } from '../../../../server/service/storage/project-locks';
import { testEngines } from '../test-databases';

describe.each(testEngines())('locks a killed push left in a project repository, on %s', engine => {
  let service: TestService;
  let work: ReturnType<typeof temporaryDirectory>;
  let client: GitClient;
  let token = '';
  let gitDir = '';
  const clone = () => join(work.path, 'clone');

  /** What a push killed inside its ref update leaves, `age` milliseconds old. */
  const leaveKilledPush = (age: number) => {
    const paths = [join(gitDir, 'refs', 'heads', 'main.lock'), join(gitDir, 'HEAD.lock'), join(gitDir, 'packed-refs.lock')];
    for (const path of paths) {
      writeFileSync(path, `${'0'.repeat(40)}\n`);
    }
    const quarantine = join(gitDir, 'objects', 'tmp_objdir-incoming-Zq3xR1');
    mkdirSync(join(quarantine, 'pack'), { recursive: true });
    writeFileSync(join(quarantine, 'pack', 'tmp_pack_a1b2c3'), 'half a pack');
    const then = new Date(Date.now() - age);
    for (const path of [...paths, join(quarantine, 'pack', 'tmp_pack_a1b2c3'), join(quarantine, 'pack'), quarantine]) {
      utimesSync(path, then, then);
    }
    return [...paths, quarantine];
  };
  const pushChange = async (text: string) => {
    writeFileSync(join(clone(), 'notes.txt'), `${text}\n`);
    await client.run(['-C', clone(), 'commit', '-q', '-am', text]);
    return client.run(['-C', clone(), 'push', '-q', 'origin', 'main']).then(
      () => 'pushed',
      (error: Error) => error.message
    );
  };

  beforeEach(async () => {
    service = await startTestService(engine);
    work = temporaryDirectory('hubshare-stale-locks-');
    client = new GitClient(join(work.path, 'home'));
    token = await service.userWithToken('alice');
    expect((await callApi(service, token, 'POST', '/projects', { name: 'study' })).status).toBe(201);
    await client.run(['clone', '-q', cloneUrl(service.url, 'alice', token, 'alice/study'), clone()]);
    writeFileSync(join(clone(), 'notes.txt'), 'first\n');
    await client.run(['-C', clone(), 'add', '.']);
    await client.run(['-C', clone(), 'commit', '-q', '-m', 'first']);
    await client.run(['-C', clone(), 'push', '-q', 'origin', 'HEAD:main']);
    gitDir = await repositoryOf(service, 'study');
    expect(existsSync(gitDir)).toBe(true);
  });
  afterEach(async () => {
    await service.close();
    work.remove();
  });

  const LONG_AGO = 2 * 24 * 3_600_000;

  it('a ref lock left by a push killed mid-update does not make the project unpushable', async () => {
    const left = leaveKilledPush(LONG_AGO);
    await service.restart();
    // Cleared at start, before any push comes.
    for (let waited = 0; left.some(path => existsSync(path)) && waited < 5_000; waited += 20) {
      await new Promise(resolve => setTimeout(resolve, 20));
    }
    for (const path of left) {
      expect(existsSync(path), path).toBe(false);
    }
    await client.run(['-C', clone(), 'remote', 'set-url', 'origin', cloneUrl(service.url, 'alice', token, 'alice/study')]);
    expect(await pushChange('second')).toBe('pushed');
    await client.run(['--git-dir', gitDir, 'fsck', '--strict', '--no-dangling']);
  });

  it('recovers the locks before a push finds them, without a restart', async () => {
    leaveKilledPush(LONG_AGO);
    expect(await pushChange('second')).toBe('pushed');
    expect(readdirSync(join(gitDir, 'objects')).filter(name => name.startsWith('tmp_objdir'))).toEqual([]);
  });

  it('takes a fresh lock for a leftover when no push of any replica is under way', async () => {
    leaveKilledPush(1_000);
    expect(await pushChange('second')).toBe('pushed');
  });

  // Replicas share a PostgreSQL database (SQLite is one process: nothing to wait for).
  const replicasOnly = engine === 'postgres' ? it : () => undefined;
  replicasOnly('waits while another replica pushes to the project instead of taking its lock for a leftover', async () => {
    // Another replica mid-push: it holds the project's advisory lock, and git's ref lock.
    const { id } = await service.data.db.selectFrom('projects').select('id').where('name', '=', 'study').executeTakeFirstOrThrow();
    let release: () => void = () => undefined;
    const released = new Promise<void>(resolve => (release = resolve));
    let holding: () => void = () => undefined;
    const held = new Promise<void>(resolve => (holding = resolve));
    const otherReplica = service.data.db.connection().execute(async connection => {
      await sql`SELECT pg_advisory_lock(${PUSH_LOCKS}, hashtext(${id}))`.execute(connection);
      holding();
      await released;
      rmSync(join(gitDir, 'refs', 'heads', 'main.lock'), { force: true });
      await sql`SELECT pg_advisory_unlock(${PUSH_LOCKS}, hashtext(${id}))`.execute(connection);
    });
    await held;
    writeFileSync(join(gitDir, 'refs', 'heads', 'main.lock'), `${'0'.repeat(40)}\n`);
    let done = false;
    const pushing = pushChange('second').then(answer => {
      done = true;
      return answer;
    });
    await new Promise(resolve => setTimeout(resolve, 1_000));
    expect(done).toBe(false);
    expect(existsSync(join(gitDir, 'refs', 'heads', 'main.lock'))).toBe(true);
    release();
    await otherReplica;
    expect(await pushing).toBe('pushed');
  });
});
