// Each push holds its project's turn across replicas for as long as it runs (on PostgreSQL a
// session lock, so a connection). Were those the store's own connections, as many pushes at once
// as the pool holds would each wait for a connection to record their events: the service stuck
// for good. Twenty pushes to twenty projects at once, twice the pool.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../../http-harness';
import { cloneUrl, GitClient } from '../git-client';
import { callApi, startTestService, type TestService } from '../service-harness';
import { testEngines } from '../test-databases';

const PUSHES = 20;

describe.each(testEngines())('pushes at once to many projects, on %s', engine => {
  let service: TestService;
  let work: ReturnType<typeof temporaryDirectory>;

  beforeAll(async () => {
    service = await startTestService(engine);
    work = temporaryDirectory('hubshare-concurrent-pushes-');
  });
  afterAll(async () => {
    await service.close();
    work.remove();
  });

  it('twice as many pushes at once as the database pool holds all land, each with its event', async () => {
    const token = await service.userWithToken('alice');
    const client = new GitClient(join(work.path, 'home'));
    const dirs = await Promise.all(
      Array.from({ length: PUSHES }, async (_, index) => {
        expect((await callApi(service, token, 'POST', '/projects', { name: `project-${index}` })).status).toBe(201);
        const dir = join(work.path, `clone-${index}`);
        await client.run(['init', '-q', '-b', 'main', dir]);
        writeFileSync(join(dir, 'notes.txt'), `project ${index}\n`);
        await client.run(['-C', dir, 'add', '.']);
        await client.run(['-C', dir, 'commit', '-q', '-m', 'first']);
        return dir;
      })
    );
    const pushed = await Promise.race([
      Promise.all(dirs.map((dir, index) => client.run(['-C', dir, 'push', '-q', cloneUrl(service.url, 'alice', token, `alice/project-${index}`), 'HEAD:main']))).then(() => 'all pushed'),
      new Promise(resolve => setTimeout(() => resolve('stuck'), 15_000))
    ]);
    expect(pushed).toBe('all pushed');
    let events: unknown[] = [];
    for (let waited = 0; events.length < PUSHES && waited < 5_000; waited += 50) {
      const response = await callApi(service, token, 'GET', '/events?limit=500');
      events = ((await response.json()) as { events: { type: string }[] }).events.filter(event => event.type === 'push');
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    expect(events).toHaveLength(PUSHES);
  }, 60_000);
});
