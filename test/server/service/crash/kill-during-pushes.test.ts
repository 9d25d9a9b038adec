// The real service process, SIGKILLed and started again on the same data while people push:
// every push git acknowledged is on the project's main afterwards, every repository passes
// `git fsck --strict`, no lock or quarantine folder is left, the feed tells every ref change as a
// chain from the first push to where main stands, and every project still takes a push.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../../http-harness';
import { cloneUrl, GitClient } from '../git-client';
import { callApi } from '../service-harness';
import { freshPostgresDatabase, testEngines } from '../test-databases';
import { freePort, ServiceProcess, sleep } from './service-process';

const KILLS = 5;
const PROJECTS = 3;
const PUSHERS_PER_PROJECT = 2;

interface PushEvent {
  type: string;
  ref: string;
  before: string | null;
  after: string | null;
  recovered?: boolean;
  project: { owner: string; name: string };
}

describe.each(testEngines())('kill -9 while people push, on %s', engine => {
  const work = temporaryDirectory('hubshare-kill-');
  const database = { url: '', drop: async () => undefined as void };
  let service: ServiceProcess;

  beforeAll(async () => {
    if (engine === 'postgres') {
      Object.assign(database, await freshPostgresDatabase());
    }
    service = new ServiceProcess(join(work.path, 'data'), await freePort(), database.url || null);
    await service.start();
  });
  afterAll(async () => {
    await service.kill();
    await database.drop();
    work.remove();
  });

  it('loses no acknowledged push, leaves every repository whole and pushable, and the feed tells every change', async () => {
    const dataDir = join(work.path, 'data');
    const url = { value: service.url };
    await service.command(['user', 'add', 'alice']);
    const token = await service.command(['token', 'create', 'alice', '--note', 'kill']);
    const client = new GitClient(join(work.path, 'home'));
    for (let project = 0; project < PROJECTS; project++) {
      expect((await callApi({ url: url.value }, token, 'POST', '/projects', { name: `project-${project}` })).status).toBe(201);
    }
    const acknowledged = new Map<string, string[]>();
    let stopping = false;
    let attempts = 0;
    const pusher = async (project: number, index: number) => {
      const dir = join(work.path, `pusher-${project}-${index}`);
      await client.run(['init', '-q', '-b', 'main', dir]);
      await client.run(['-C', dir, 'remote', 'add', 'origin', cloneUrl(url.value, 'alice', token, `alice/project-${project}`)]);
      for (let round = 0; !stopping; round++) {
        writeFileSync(join(dir, `pusher-${index}.txt`), `round ${round}\n`);
        await client.run(['-C', dir, 'add', '.']);
        await client.run(['-C', dir, 'commit', '-q', '-m', `pusher ${index} round ${round}`]);
        attempts += 1;
        // Each pusher writes its own file: taking the other's pushes never conflicts.
        await client.attempt(['-C', dir, 'pull', '-q', '--rebase', 'origin', 'main']);
        if ((await client.attempt(['-C', dir, 'push', '-q', 'origin', 'HEAD:main'])).ok) {
          const head = (await client.run(['-C', dir, 'rev-parse', 'HEAD'])).stdout.trim();
          acknowledged.set(`project-${project}`, [...(acknowledged.get(`project-${project}`) ?? []), head]);
        }
      }
    };
    const pushers = Array.from({ length: PROJECTS * PUSHERS_PER_PROJECT }, (_, n) => pusher(n % PROJECTS, Math.floor(n / PROJECTS)));
    for (let kills = 0; kills < KILLS; kills++) {
      await sleep(800 + Math.random() * 1200);
      await service.kill();
      await service.start();
    }
    await sleep(1_000);
    stopping = true;
    await Promise.all(pushers);

    // Every repository whole and free of leftovers; where each project's main stands, as the
    // service answers it, and in which repository.
    const repositories = readdirSync(join(dataDir, 'repositories')).filter(name => name.endsWith('.git'));
    expect(repositories).toHaveLength(PROJECTS);
    const repositoryAt = new Map<string, string>();
    for (const repository of repositories) {
      const gitDir = join(dataDir, 'repositories', repository);
      await client.run(['--git-dir', gitDir, 'fsck', '--strict', '--no-dangling', '--no-progress']);
      repositoryAt.set((await client.run(['--git-dir', gitDir, 'rev-parse', 'refs/heads/main'])).stdout.trim(), gitDir);
      expect(readdirSync(join(gitDir, 'objects')).filter(entry => entry.startsWith('tmp_objdir')), `quarantine left in ${repository}`).toEqual([]);
      expect(existsSync(join(gitDir, 'refs', 'heads', 'main.lock'))).toBe(false);
    }
    const names = Array.from({ length: PROJECTS }, (_, project) => `project-${project}`);
    const { heads } = (await (await callApi({ url: url.value }, token, 'POST', '/projects/heads', { projects: names.map(name => `alice/${name}`) })).json()) as {
      heads: Record<string, string>;
    };
    let present = 0;
    for (const name of names) {
      const gitDir = repositoryAt.get(heads[`alice/${name}`]);
      expect(gitDir, `${name}'s main is a repository's main`).toBeDefined();
      for (const commit of acknowledged.get(name) ?? []) {
        const { ok } = await client.attempt(['--git-dir', gitDir ?? '', 'merge-base', '--is-ancestor', commit, 'refs/heads/main']);
        expect(ok, `acknowledged ${commit} of ${name} is on main`).toBe(true);
        present += 1;
      }
    }

    // The feed: per project, a chain of main's changes from nothing to where it stands.
    const events: PushEvent[] = [];
    for (let since = '0'; ; ) {
      const response = await callApi({ url: url.value }, token, 'GET', `/events?since=${since}&limit=500`);
      const page = (await response.json()) as { events: PushEvent[]; next: string; more: boolean };
      events.push(...page.events.filter(event => event.type === 'push'));
      since = page.next;
      if (!page.more) {
        break;
      }
    }
    let recovered = 0;
    for (const name of names) {
      const chain = events.filter(event => event.project.name === name && event.ref === 'refs/heads/main');
      recovered += chain.filter(event => event.recovered).length;
      expect(chain[0]?.before ?? null).toBeNull();
      for (let index = 1; index < chain.length; index++) {
        expect(chain[index].before, `${name} event ${index}`).toBe(chain[index - 1].after);
      }
      expect(chain.at(-1)?.after, `${name}'s last event is where main stands`).toBe(heads[`alice/${name}`]);
    }

    // Every project still takes a push.
    for (let project = 0; project < PROJECTS; project++) {
      const dir = join(work.path, `pusher-${project}-0`);
      await client.run(['-C', dir, 'pull', '-q', '--rebase', 'origin', 'main']);
      writeFileSync(join(dir, 'after.txt'), 'after the kills\n');
      await client.run(['-C', dir, 'add', '.']);
      await client.run(['-C', dir, 'commit', '-q', '-m', 'after the kills']);
      await client.run(['-C', dir, 'push', '-q', 'origin', 'HEAD:main']);
    }
    const total = [...acknowledged.values()].reduce((sum, list) => sum + list.length, 0);
    console.log(
      `kill -9 under pushes (${engine}): ${KILLS} kills survived; ${attempts} pushes tried (${PUSHERS_PER_PROJECT} pushers on each of ${PROJECTS} projects), ${total} acknowledged, ${present} of them on main; ` +
        `${events.length} push events, ${recovered} told after a kill lost them; fsck --strict clean on ${repositories.length} repositories`
    );
    expect(present).toBe(total);
    expect(total).toBeGreaterThan(KILLS);
  }, 120_000);
});
