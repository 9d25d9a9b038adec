import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../http-harness';
import { cloneUrl, GitClient } from './git-client';
import { callApi, repositoryOf, startTestService, type TestService } from './service-harness';
import { testEngines } from './test-databases';

describe.each(testEngines())('git over HTTP, on %s', engine => {
  let service: TestService;
  let work: ReturnType<typeof temporaryDirectory>;
  let git: GitClient;
  const tokens: Record<string, string> = {};

  const api = (user: string, method: string, path: string, body?: unknown) => callApi(service, tokens[user], method, path, body);

  beforeEach(async () => {
    service = await startTestService(engine);
    work = temporaryDirectory('hubshare-git-');
    git = new GitClient(join(work.path, 'home'));
    for (const user of ['alice', 'bob', 'carol']) {
      tokens[user] = await service.userWithToken(user);
    }
    expect((await api('alice', 'POST', '/projects', { name: 'analysis' })).status).toBe(201);
  });
  afterEach(async () => {
    await service.close();
    work.remove();
  });

  const url = (user: string) => cloneUrl(service.url, user, tokens[user], 'alice/analysis');

  async function commitFile(dir: string, file: string, text: string, message: string) {
    writeFileSync(join(dir, file), text);
    await git.run(['add', file], dir);
    await git.run(['commit', '-q', '-m', message], dir);
  }

  it('lets the owner push and a reader clone, and refuses the reader\'s push', async () => {
    const mine = join(work.path, 'alice');
    await git.run(['clone', '-q', url('alice'), mine]);
    await commitFile(mine, 'notes.md', '# Notes\n', 'first');
    await git.run(['push', '-q', 'origin', 'main'], mine);

    const unshared = await git.attempt(['clone', '-q', url('bob'), join(work.path, 'bob-early')]);
    expect(unshared.ok).toBe(false);
    expect(unshared.stderr).toMatch(/not found/);

    expect((await api('alice', 'PUT', '/projects/alice/analysis/grants/users/bob', { level: 'read' })).status).toBe(200);
    const theirs = join(work.path, 'bob');
    await git.run(['clone', '-q', url('bob'), theirs]);
    expect(readFileSync(join(theirs, 'notes.md'), 'utf8')).toBe('# Notes\n');
    await commitFile(theirs, 'notes.md', '# Notes\nmore\n', 'bob edits');
    const refused = await git.attempt(['push', '-q', 'origin', 'main'], theirs);
    expect(refused.ok).toBe(false);
    expect(refused.stderr).toMatch(/403/);
  });

  it('refuses a push that is not a fast-forward, telling the pusher to pull first', async () => {
    await api('alice', 'PUT', '/projects/alice/analysis/grants/users/bob', { level: 'write' });
    const first = join(work.path, 'alice');
    await git.run(['clone', '-q', url('alice'), first]);
    await commitFile(first, 'a.txt', 'a\n', 'base');
    await git.run(['push', '-q', 'origin', 'main'], first);
    const second = join(work.path, 'bob');
    await git.run(['clone', '-q', url('bob'), second]);
    await commitFile(first, 'a.txt', 'alice\n', 'alice');
    await git.run(['push', '-q', 'origin', 'main'], first);
    await commitFile(second, 'a.txt', 'bob\n', 'bob');

    const stale = await git.attempt(['push', 'origin', 'main'], second);
    expect(stale.ok).toBe(false);
    expect(stale.stderr).toMatch(/fetch first|non-fast-forward/);
    expect(stale.stderr).toMatch(/git pull/);

    const forced = await git.attempt(['push', '--force', 'origin', 'main'], second);
    expect(forced.ok).toBe(false);
    expect(forced.stderr).toMatch(/non-fast-forward|denying non-fast-forward/);
    const { stdout } = await git.run(['ls-remote', url('alice'), 'refs/heads/main']);
    const { stdout: aliceHead } = await git.run(['rev-parse', 'HEAD'], first);
    expect(stdout.split('\t')[0]).toBe(aliceHead.trim());
  });

  it('refuses a push holding a/b/.HubShare/config (a .hubshare at any depth, in any case), in words the pusher sees', async () => {
    const mine = join(work.path, 'alice');
    await git.run(['clone', '-q', url('alice'), mine]);
    await commitFile(mine, 'a.txt', 'a\n', 'base');
    await git.run(['push', '-q', 'origin', 'main'], mine);
    const { stdout: before } = await git.run(['ls-remote', url('alice'), 'refs/heads/main']);
    for (const folder of ['.hubshare', '.HubShare', 'a/b/.HubShare', 'docs/.hubshare']) {
      mkdirSync(join(mine, folder), { recursive: true });
      await commitFile(mine, `${folder}/config`, '[core]\n\tfsmonitor = touch /tmp/x\n', `add ${folder}`);
      const refused = await git.attempt(['push', 'origin', 'main'], mine);
      expect(refused.ok, folder).toBe(false);
      expect(refused.stderr).toContain(`remote: HubShare: refs/heads/main holds ${folder}`);
      expect((await git.run(['ls-remote', url('alice'), 'refs/heads/main'])).stdout).toBe(before);
      await git.run(['reset', '-q', '--hard', 'HEAD~1'], mine);
    }
  });

  it('refuses a push whose .hubshare is only in an earlier commit of the push, gone again at its tip', async () => {
    const mine = join(work.path, 'alice');
    await git.run(['clone', '-q', url('alice'), mine]);
    await commitFile(mine, 'a.txt', 'a\n', 'base');
    await git.run(['push', '-q', 'origin', 'main'], mine);
    mkdirSync(join(mine, 'deep', '.hubshare'), { recursive: true });
    await commitFile(mine, 'deep/.hubshare/config', '[core]\n\tfsmonitor = touch /tmp/x\n', 'add it');
    await git.run(['rm', '-q', '-r', 'deep'], mine);
    await git.run(['commit', '-q', '-m', 'remove it'], mine);
    const refused = await git.attempt(['push', 'origin', 'main'], mine);
    expect(refused.ok).toBe(false);
    expect(refused.stderr).toContain('remote: HubShare: refs/heads/main holds deep/.hubshare');
  });

  it('takes a push that removes a .hubshare left from before the check (the way out for old data)', async () => {
    const mine = join(work.path, 'alice');
    await git.run(['clone', '-q', url('alice'), mine]);
    mkdirSync(join(mine, 'old', '.hubshare'), { recursive: true });
    await commitFile(mine, 'old/.hubshare/config', '[core]\n\tbare = false\n', 'from before');
    const repository = await repositoryOf(service, 'analysis');
    await git.run(['push', '-q', '--receive-pack=git -c core.hooksPath=/dev/null receive-pack', repository, 'HEAD:main'], mine);
    await git.run(['rm', '-q', '-r', 'old'], mine);
    await commitFile(mine, 'a.txt', 'a\n', 'drop it');
    await git.run(['push', '-q', 'origin', 'main'], mine);
  });

  it('takes names that only look like .hubshare (.hubshare2, hubshare, x.hubshare)', async () => {
    const mine = join(work.path, 'alice');
    await git.run(['clone', '-q', url('alice'), mine]);
    for (const folder of ['.hubshare2', 'hubshare', 'x.hubshare', 'docs/.hubshare-notes']) {
      mkdirSync(join(mine, folder), { recursive: true });
      await commitFile(mine, `${folder}/notes.txt`, 'fine\n', `add ${folder}`);
    }
    await git.run(['push', '-q', 'origin', 'main'], mine);
  });

  it('refuses deleting a branch', async () => {
    const mine = join(work.path, 'alice');
    await git.run(['clone', '-q', url('alice'), mine]);
    await commitFile(mine, 'a.txt', 'a\n', 'base');
    await git.run(['push', '-q', 'origin', 'main', 'main:side'], mine);
    const deletion = await git.attempt(['push', 'origin', ':side'], mine);
    expect(deletion.ok).toBe(false);
    expect(deletion.stderr).toMatch(/deletion prohibited|denying ref deletion/);
  });

  it('gives and takes access through a team: a removed member\'s next fetch is refused', async () => {
    expect((await api('alice', 'POST', '/teams', { name: 'analysts' })).status).toBe(201);
    expect((await api('alice', 'PUT', '/teams/analysts/members/bob', {})).status).toBe(200);
    expect((await api('alice', 'PUT', '/projects/alice/analysis/grants/teams/analysts', { level: 'read' })).status).toBe(200);
    const mine = join(work.path, 'alice');
    await git.run(['clone', '-q', url('alice'), mine]);
    await commitFile(mine, 'data.csv', 'x,y\n1,2\n', 'data');
    await git.run(['push', '-q', 'origin', 'main'], mine);

    const theirs = join(work.path, 'bob');
    await git.run(['clone', '-q', url('bob'), theirs]);
    expect(readFileSync(join(theirs, 'data.csv'), 'utf8')).toBe('x,y\n1,2\n');
    expect((await api('carol', 'GET', '/projects/alice/analysis')).status).toBe(404);

    expect((await api('alice', 'DELETE', '/teams/analysts/members/bob')).status).toBe(204);
    const fetchAfter = await git.attempt(['fetch', 'origin'], theirs);
    expect(fetchAfter.ok).toBe(false);
    expect(fetchAfter.stderr).toMatch(/not found/);
    expect((await api('bob', 'GET', '/projects/alice/analysis')).status).toBe(404);
  });

  it('keeps pushes whole under 20 concurrent pushers: each is reported and in history, or refused cleanly, and in the feed once by its own pusher', async () => {
    await api('alice', 'PUT', '/projects/alice/analysis/grants/users/bob', { level: 'write' });
    const seed = join(work.path, 'seed');
    await git.run(['clone', '-q', url('alice'), seed]);
    await commitFile(seed, 'base.txt', 'base\n', 'base');
    await git.run(['push', '-q', 'origin', 'main'], seed);

    const pushers = Array.from({ length: 20 }, (_, index) => index);
    const dirs = await Promise.all(
      pushers.map(async index => {
        const dir = join(work.path, `pusher-${index}`);
        await git.run(['clone', '-q', url(index % 2 === 0 ? 'alice' : 'bob'), dir]);
        await commitFile(dir, `file-${index}.txt`, `${index}\n`, `pusher ${index}`);
        return dir;
      })
    );
    const results = await Promise.all(dirs.map(dir => git.attempt(['push', 'origin', 'main'], dir)));
    const accepted = await Promise.all(
      dirs.filter((_, index) => results[index].ok).map(async dir => (await git.run(['rev-parse', 'HEAD'], dir)).stdout.trim())
    );
    for (const result of results.filter(r => !r.ok)) {
      expect(result.stderr).toMatch(/fetch first|non-fast-forward|rejected|cannot lock ref|failed to update ref/);
    }
    expect(accepted.length).toBeGreaterThanOrEqual(1);

    const check = join(work.path, 'check');
    await git.run(['clone', '-q', url('alice'), check]);
    const history = (await git.run(['log', '--format=%H'], check)).stdout.split('\n');
    for (const commit of accepted) {
      expect(history).toContain(commit);
    }
    const repositories = readdirSync(service.data.repositoriesDir).filter(name => name.endsWith('.git'));
    expect(repositories).toHaveLength(1);
    await git.run(['--git-dir', join(service.data.repositoriesDir, repositories[0]), 'fsck', '--strict', '--no-dangling']);

    // The event feed reports each accepted push once, by its own pusher, as a chain from the seed.
    const seedHead = (await git.run(['rev-parse', 'HEAD'], seed)).stdout.trim();
    const acceptedDirs = dirs.filter((_, index) => results[index].ok);
    const pusherOf = new Map(accepted.map((commit, i) => [commit, dirs.indexOf(acceptedDirs[i]) % 2 === 0 ? 'alice' : 'bob']));
    let pushes: { actor: string; before: string | null; after: string }[] = [];
    for (let waited = 0; waited < 5000 && pushes.length < accepted.length + 1; waited += 50) {
      await new Promise(resolve => setTimeout(resolve, 50));
      const feed = (await (await api('alice', 'GET', '/events')).json()) as { events: { type: string; actor: string; before: string | null; after: string }[] };
      pushes = feed.events.filter(event => event.type === 'push');
    }
    expect(pushes[0]).toMatchObject({ actor: 'alice', before: null, after: seedHead });
    expect(new Set(pushes.slice(1).map(push => push.after))).toEqual(new Set(accepted));
    expect(pushes.slice(1).map(push => push.before)).toEqual(pushes.slice(0, -1).map(push => push.after));
    for (const push of pushes.slice(1)) {
      expect(push.actor).toBe(pusherOf.get(push.after));
    }
  }, 60_000);
});

describe('the largest push', () => {
  it('refuses a push over the configured size and keeps the repository as it was', async () => {
    const service = await startTestService('sqlite', { maxPushBytes: 256 * 1024 });
    const work = temporaryDirectory('hubshare-git-');
    try {
      const token = await service.userWithToken('alice');
      const created = await fetch(`${service.url}/api/v1/projects`, {
        method: 'POST',
        headers: { Authorization: `token ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'big' })
      });
      expect(created.status).toBe(201);
      const git = new GitClient(join(work.path, 'home'));
      const dir = join(work.path, 'clone');
      const url = cloneUrl(service.url, 'alice', token, 'alice/big');
      await git.run(['clone', '-q', url, dir]);
      writeFileSync(join(dir, 'random.bin'), randomBytes(1024 * 1024));
      await git.run(['add', 'random.bin'], dir);
      await git.run(['commit', '-q', '-m', 'too big'], dir);
      const push = await git.attempt(['push', 'origin', 'main'], dir);
      expect(push.ok).toBe(false);
      expect((await git.run(['ls-remote', url])).stdout).toBe('');
    } finally {
      await service.close();
      work.remove();
    }
  });
});
