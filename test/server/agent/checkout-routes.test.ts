import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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
    expect((await call('bob', 'GET', '/api/projects?scope=shared')).body).toMatchObject({ projects: [{ owner: 'alice', name: 'study' }], next: null });
    // The listing's page and filter go through to the service.
    expect((await call('bob', 'GET', '/api/projects?scope=shared&limit=1&q=stu')).body).toMatchObject({ projects: [{ name: 'study' }], next: null });
    expect((await call('bob', 'GET', '/api/projects?scope=shared&q=nothing-like-it')).body).toEqual({ projects: [], next: null });
    expect((await call('bob', 'GET', '/api/projects?limit=0')).body).toMatchObject({ error: { code: 'invalid_limit' } });
    expect(await call('bob', 'POST', '/api/checkouts/checkout', { project: 'alice/study', path: 'study' })).toMatchObject({
      status: 201,
      body: { path: 'study' }
    });
    expect((await call('bob', 'GET', '/api/checkouts')).body).toEqual({ checkouts: [{ path: 'study', source: 'project', conflicted: false }] });

    writeFileSync(join(agents.bob.root, 'study', 'nb.ipynb'), notebook('"bob"'));
    expect((await call('bob', 'POST', '/api/checkouts/push', { path: 'study' })).body).toEqual({ pushed: true });
    writeFileSync(join(agents.alice.root, 'work', 'study', 'nb.ipynb'), notebook('"alice"'));
    const pushFirst = await call('alice', 'POST', '/api/checkouts/push', { path: 'work/study' });
    expect(pushFirst).toMatchObject({ status: 409, body: { error: { code: 'pull_first', message: 'Someone pushed first: pull, then push.' } } });

    const pull = await call('alice', 'POST', '/api/checkouts/pull', { path: 'work/study' });
    expect(pull.body).toEqual({ state: 'conflicted', merged: [], conflicts: [{ path: 'nb.ipynb', kind: 'both-changed' }] });
    const theirs = await call('alice', 'GET', '/api/checkouts/theirs?path=work/study&file=nb.ipynb');
    expect(theirs.body).toBe(notebook('"bob"'));
    const mine = await call('alice', 'GET', '/api/checkouts/mine?path=work/study&file=nb.ipynb');
    expect(mine.body).toBe(notebook('"alice"'));
    expect((await call('alice', 'GET', '/api/checkouts/mine?path=work/study&file=other.txt')).body).toMatchObject({
      error: { code: 'not_conflicted' }
    });
    const conflicted = (await call('alice', 'GET', '/api/checkouts/status?path=work/study')).body;
    expect(conflicted).toMatchObject({ root: 'work/study', state: 'conflicted', lastChange: { by: 'bob' } });
    expect(Date.now() - Date.parse((conflicted as { lastChange: { at: string } }).lastChange.at)).toBeLessThan(60_000);
    // The parts a notebook can be picked by: its one cell, which both changed.
    const parts = await call('alice', 'GET', '/api/checkouts/parts?path=work/study&file=nb.ipynb');
    expect(parts.body).toMatchObject({ kind: 'cells', parts: [{ key: 'first-cell', kind: 'changed', mine: '"alice"', theirs: '"bob"', pick: null }] });
    expect((await call('alice', 'GET', '/api/checkouts/parts?path=work/study&file=other.txt')).body).toMatchObject({ error: { code: 'not_conflicted' } });
    expect(await call('alice', 'POST', '/api/checkouts/resolve-part', { path: 'work/study', file: 'nb.ipynb', part: 'nope', side: 'theirs' })).toMatchObject({
      status: 400,
      body: { error: { code: 'no_such_part' } }
    });
    expect((await call('alice', 'POST', '/api/checkouts/resolve-part', { path: 'work/study', file: 'nb.ipynb', part: 'first-cell', side: 'sideways' })).status).toBe(400);
    expect(readFileSync(join(agents.alice.root, 'work', 'study', 'nb.ipynb'), 'utf8')).toBe(notebook('"alice"'));
    expect((await call('alice', 'POST', '/api/checkouts/resolve-part', { path: 'work/study', file: 'nb.ipynb', part: 'first-cell', side: 'theirs' })).body).toEqual({ conflicts: [] });
    expect((await call('alice', 'POST', '/api/checkouts/continue', { path: 'work/study' })).status).toBe(200);
    expect(readFileSync(join(agents.alice.root, 'work', 'study', 'nb.ipynb'), 'utf8')).toBe(notebook('"bob"'));

    // Every checkout's status at once, paths relative to Jupyter's root.
    expect((await call('alice', 'GET', '/api/checkouts/statuses')).body).toMatchObject({ statuses: [{ path: 'work/study', status: { root: 'work/study', state: 'ahead' } }] });
    expect((await call('bob', 'GET', '/api/checkouts/statuses')).body).toMatchObject({ statuses: [{ path: 'study', status: { root: 'study', state: 'clean' } }] });
  });

  it('asks the service who its token signs in as once, not before every operation or listing', async () => {
    const asked = () => service.logs.filter(line => line.includes('"url":"/api/v1/user"')).length;
    mkdirSync(join(agents.bob.root, 'notes'));
    writeFileSync(join(agents.bob.root, 'notes', 'a.txt'), 'one\n');
    const before = asked();
    expect((await call('bob', 'POST', '/api/checkouts/publish', { path: 'notes', name: 'notes' })).status).toBe(201);
    for (const round of [2, 3]) {
      writeFileSync(join(agents.bob.root, 'notes', 'a.txt'), `${round}\n`);
      expect((await call('bob', 'POST', '/api/checkouts/push', { path: 'notes' })).status).toBe(200);
      expect((await call('bob', 'GET', '/api/projects?scope=mine')).status).toBe(200);
    }
    expect(asked() - before).toBeLessThanOrEqual(1);
  });

  it('streams the progress of long operations as NDJSON to clients that ask for it', async () => {
    mkdirSync(join(agents.alice.root, 'big'));
    writeFileSync(join(agents.alice.root, 'big', 'data.bin'), randomBytes(2 * 1024 * 1024));
    expect((await call('alice', 'POST', '/api/checkouts/publish', { path: 'big', name: 'big' })).status).toBe(201);
    await fetch(`${service.url}/api/v1/projects/alice/big/grants/users/bob`, {
      method: 'PUT',
      headers: { Authorization: `token ${(await service.accounts.createToken('alice')).token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ level: 'read' })
    });
    const stream = async (path: string, body: unknown) => {
      const response = await fetch(`${agents.bob.url}${path}`, {
        method: 'POST',
        headers: { [PROXY_SECRET_HEADER]: SECRET, 'Content-Type': 'application/json', Accept: 'application/x-ndjson' },
        body: JSON.stringify(body)
      });
      expect(response.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
      return (await response.text()).trim().split('\n').map(line => JSON.parse(line) as { type: string; percent?: number; status?: number });
    };
    const lines = await stream('/api/checkouts/checkout', { project: 'alice/big', path: 'big-copy' });
    expect(lines.at(-1)).toEqual({ type: 'result', status: 201, body: { path: 'big-copy' } });
    const progress = lines.filter(line => line.type === 'progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every(line => typeof line.percent === 'number' && line.percent >= 0 && line.percent <= 100)).toBe(true);

    writeFileSync(join(agents.bob.root, 'big-copy', 'more.txt'), 'bob\n');
    const refused = await stream('/api/checkouts/push', { path: 'big-copy' });
    expect(refused.at(-1)).toMatchObject({ type: 'error', status: 403, error: { code: 'insufficient_level' } });
  });

  it('never works on a checkout above Jupyter\'s root, and checks nothing out inside one', async () => {
    mkdirSync(join(agents.alice.root, 'above', 'jupyter', 'notes'), { recursive: true });
    writeFileSync(join(agents.alice.root, 'above', 'outside.txt'), 'not under the lower root\n');
    expect((await call('alice', 'POST', '/api/checkouts/publish', { path: 'above', name: 'above' })).status).toBe(201);
    const root = join(agents.alice.root, 'above', 'jupyter');
    const { app } = createAgentApp({ rootDir: root, proxySecret: SECRET, service: new ServiceClient(service.url, issued[0]), log: line => agentLog.push(line) });
    const lower = await listen(app);
    try {
      const ask = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
        const response = await fetch(`${lower.url}${path}`, { method, headers: { [PROXY_SECRET_HEADER]: SECRET, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      };
      expect(await ask('GET', '/api/checkouts/status?path=notes')).toMatchObject({ status: 404, body: { error: { code: 'not_a_checkout' } } });
      writeFileSync(join(root, 'notes', 'new.txt'), 'x\n');
      expect(await ask('POST', '/api/checkouts/push', { path: 'notes' })).toMatchObject({ status: 404, body: { error: { code: 'not_a_checkout' } } });
      expect(await ask('POST', '/api/checkouts/checkout', { project: 'alice/above', path: 'copy' })).toMatchObject({ status: 400, body: { error: { code: 'inside_checkout' } } });
      expect(readdirSync(root).sort()).toEqual(['notes']);
    } finally {
      await lower.close();
    }
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
