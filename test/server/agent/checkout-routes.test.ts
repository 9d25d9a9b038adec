import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROXY_SECRET_HEADER } from '../../../server/agent/access';
import { createAgentApp } from '../../../server/agent/app';
import { ServiceClient } from '../../../server/agent/service-client';
import { listen, type Listening, temporaryDirectory } from '../http-harness';
import { startTestService, type TestService } from '../service/service-harness';
import { notebook } from './checkouts/checkout-harness';

const SECRET = 'a-test-secret-that-is-long-enough-to-pass';

describe('the agent\'s checkout API (what the Projects panel calls)', () => {
  let service: TestService;
  let work: ReturnType<typeof temporaryDirectory>;
  const agents: Record<string, { url: string; root: string; server: Listening }> = {};
  const agentLog: string[] = [];
  const issued: string[] = [];

  beforeAll(async () => {
    service = await startTestService();
    work = temporaryDirectory('hubshare-agent-');
    process.env.HOME = join(work.path, 'home');
    mkdirSync(process.env.HOME);
    for (const user of ['alice', 'bob']) {
      const token = await service.userWithToken(user);
      issued.push(token);
      const root = join(work.path, user);
      mkdirSync(root);
      const { app } = createAgentApp({ rootDir: root, proxySecret: SECRET, service: new ServiceClient(service.url, token), log: line => agentLog.push(line) });
      const server = await listen(app);
      agents[user] = { url: server.url, root, server };
    }
  });
  afterAll(async () => {
    for (const token of issued) {
      expect(agentLog.join('\n')).not.toContain(token);
    }
    for (const agent of Object.values(agents)) {
      await agent.server.close();
    }
    await service.close();
    work.remove();
  });

  const call = async (user: string, method: 'GET' | 'POST', path: string, body?: unknown) => {
    const response = await fetch(`${agents[user].url}${path}`, {
      method,
      headers: { [PROXY_SECRET_HEADER]: SECRET, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body)
    });
    const type = response.headers.get('content-type') ?? '';
    return { status: response.status, body: type.includes('json') ? ((await response.json()) as Record<string, unknown>) : await response.text() };
  };

  it('publishes, checks out, pushes, pulls, and shows "theirs" of a conflicted notebook', async () => {
    mkdirSync(join(agents.alice.root, 'work', 'study'), { recursive: true });
    writeFileSync(join(agents.alice.root, 'work', 'study', 'nb.ipynb'), notebook('1'));
    expect((await call('alice', 'POST', '/api/checkouts/publish', { path: 'work/study', name: 'study' })).status).toBe(201);
    await fetch(`${service.url}/api/v1/projects/alice/study/grants/users/bob`, {
      method: 'PUT',
      headers: { Authorization: `token ${(await service.accounts.createToken('alice')).token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ level: 'write' })
    });
    expect((await call('bob', 'GET', '/api/projects?scope=shared')).body).toMatchObject({ projects: [{ owner: 'alice', name: 'study' }] });
    expect(await call('bob', 'POST', '/api/checkouts/checkout', { project: 'alice/study', path: 'study' })).toMatchObject({
      status: 201,
      body: { path: 'study' }
    });
    expect((await call('bob', 'GET', '/api/checkouts')).body).toEqual({ checkouts: [{ path: 'study', conflicted: false }] });

    writeFileSync(join(agents.bob.root, 'study', 'nb.ipynb'), notebook('"bob"'));
    expect((await call('bob', 'POST', '/api/checkouts/push', { path: 'study' })).body).toEqual({ pushed: true });
    writeFileSync(join(agents.alice.root, 'work', 'study', 'nb.ipynb'), notebook('"alice"'));
    const pushFirst = await call('alice', 'POST', '/api/checkouts/push', { path: 'work/study' });
    expect(pushFirst).toMatchObject({ status: 409, body: { error: { code: 'pull_first', message: 'Someone pushed first: pull, then push.' } } });

    const pull = await call('alice', 'POST', '/api/checkouts/pull', { path: 'work/study' });
    expect(pull.body).toEqual({ state: 'conflicted', conflicts: [{ path: 'nb.ipynb', kind: 'both-changed' }] });
    const theirs = await call('alice', 'GET', '/api/checkouts/theirs?path=work/study&file=nb.ipynb');
    expect(theirs.body).toBe(notebook('"bob"'));
    expect((await call('alice', 'GET', '/api/checkouts/status?path=work/study')).body).toMatchObject({ root: 'work/study', state: 'conflicted' });
    expect((await call('alice', 'POST', '/api/checkouts/resolve', { path: 'work/study', files: 'all', side: 'theirs' })).body).toEqual({ conflicts: [] });
    expect((await call('alice', 'POST', '/api/checkouts/continue', { path: 'work/study' })).status).toBe(200);
    expect(readFileSync(join(agents.alice.root, 'work', 'study', 'nb.ipynb'), 'utf8')).toBe(notebook('"bob"'));
  });

  it.each([
    ['an absolute path', '/etc'],
    ['a path climbing out', '../bob'],
    ['a NUL byte', 'a\u0000b'],
    ['a link leading outside', 'escape']
  ])('refuses %s', async (_what, path) => {
    symlinkSync(work.path, join(agents.alice.root, 'escape'), 'dir');
    const answer = await call('alice', 'POST', '/api/checkouts/publish', { path });
    expect(answer).toMatchObject({ status: 400, body: { error: { code: 'invalid_path' } } });
    rmSync(join(agents.alice.root, 'escape'));
  });
});
