import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../http-harness';
import { writeTreeBomb } from '../tree-bomb';
import { cloneUrl, GitClient } from './git-client';
import { repositoryOf, startTestService, type TestService } from './service-harness';

// Ten million paths in eight objects, pushed with plain git: every walk over it must stop early,
// in words, while the service keeps answering everyone else.
describe('a tree bomb pushed to a project', () => {
  let service: TestService;
  let work: ReturnType<typeof temporaryDirectory>;
  let token: string;
  let bombClone: string;
  let bombCommit: string;
  let pushGit: GitClient;

  beforeAll(async () => {
    service = await startTestService();
    work = temporaryDirectory('hubshare-bomb-');
    token = await service.userWithToken('mallory');
    const created = await fetch(`${service.url}/api/v1/projects`, {
      method: 'POST',
      headers: { Authorization: `token ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'bomb', pages: undefined })
    });
    expect(created.status).toBe(201);
    const git = new GitClient(join(work.path, 'home'));
    const clone = join(work.path, 'clone');
    await git.run(['init', '-q', '-b', 'main', clone]);
    const commit = writeTreeBomb(clone);
    // Through the service it is refused (below); here it lands as data from before would.
    const repository = await repositoryOf(service, 'bomb');
    await git.run(['push', '-q', '--receive-pack=git -c core.hooksPath=/dev/null receive-pack', repository, `${commit}:refs/heads/main`], clone);
    bombClone = clone;
    bombCommit = commit;
    pushGit = git;
    const pages = await fetch(`${service.url}/api/v1/projects/mallory/bomb`, {
      method: 'PATCH',
      headers: { Authorization: `token ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ pages: 'project' })
    });
    expect(pages.status).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await service.close();
    work.remove();
  });

  const get = (path: string) => fetch(`${service.url}${path}`, { headers: { Authorization: `token ${token}` } });

  it('a push of ten million paths in eight objects is checked by the service\'s hook in a moment, not path by path', async () => {
    expect((await fetch(`${service.url}/api/v1/projects`, {
      method: 'POST',
      headers: { Authorization: `token ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'bomb-again' })
    })).status).toBe(201);
    const started = Date.now();
    const pushed = await pushGit.attempt(['push', cloneUrl(service.url, 'mallory', token, 'mallory/bomb-again'), `${bombCommit}:refs/heads/main`], bombClone);
    expect(pushed).toMatchObject({ ok: true });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a diff of ten million paths from eight objects answers "too large to show" in words, and /health keeps answering meanwhile', async () => {
    const diff = get('/api/v1/projects/mallory/bomb/diff');
    const started = Date.now();
    let healthAnswers = 0;
    let settled = false;
    void diff.finally(() => {
      settled = true;
    });
    while (!settled) {
      const health = await fetch(`${service.url}/health`, { signal: AbortSignal.timeout(2000) });
      expect(health.status).toBe(200);
      healthAnswers += 1;
      await new Promise(resolve => setTimeout(resolve, 20));
    }
    const answer = await diff;
    expect(answer.status).toBe(422);
    const body = (await answer.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('too_large_to_show');
    expect(body.error.message).toMatch(/This change is too large to show here/);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(healthAnswers).toBeGreaterThan(0);
  });

  it('its folders list, its files open and its log by path walks, each within bounds', async () => {
    const root = await get('/api/v1/projects/mallory/bomb/tree/main/d0/d1/d2');
    expect(root.status).toBe(200);
    expect(((await root.json()) as { entries: unknown[] }).entries).toHaveLength(10);
    expect((await get('/api/v1/projects/mallory/bomb/blob/main/d0/d0/d0/d0/d0/d0/f3')).status).toBe(200);
    const log = await get('/api/v1/projects/mallory/bomb/log?path=d9/d9/d9/d9/d9/d9/f9');
    expect(log.status).toBe(200);
    expect(((await log.json()) as { commits: unknown[] }).commits).toHaveLength(1);
    expect((await get('/pages/mallory/bomb/')).status).toBeLessThan(500);
  });
});
