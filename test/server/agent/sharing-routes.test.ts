import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROXY_SECRET_HEADER } from '../../../server/agent/access';
import { createAgentApp } from '../../../server/agent/app';
import { ServiceClient } from '../../../server/agent/service-client';
import { listen, type Listening, temporaryDirectory } from '../http-harness';
import { startTestService, type TestService } from '../service/service-harness';

const SECRET = 'a-test-secret-that-is-long-enough-to-pass';

describe('the agent\'s sharing API (what the Share and Teams dialogs call)', () => {
  let service: TestService;
  let work: ReturnType<typeof temporaryDirectory>;
  const agents: Record<string, { url: string; server: Listening }> = {};

  const call = async (user: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${agents[user].url}${path}`, {
      method,
      headers: { [PROXY_SECRET_HEADER]: SECRET, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body)
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> & { error?: { code: string } } };
  };

  beforeAll(async () => {
    service = await startTestService();
    work = temporaryDirectory('hubshare-agent-sharing-');
    for (const user of ['alice', 'bob', 'carol']) {
      const token = await service.userWithToken(user);
      mkdirSync(join(work.path, user));
      const { app } = createAgentApp({ rootDir: join(work.path, user), proxySecret: SECRET, service: new ServiceClient(service.url, token), log: () => {} });
      const server = await listen(app);
      agents[user] = { url: server.url, server };
    }
    const token = (await service.accounts.createToken('alice', 'setup')).token;
    await fetch(`${service.url}/api/v1/projects`, {
      method: 'POST',
      headers: { Authorization: `token ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'study' })
    });
  });
  afterAll(async () => {
    for (const agent of Object.values(agents)) {
      await agent.server.close();
    }
    await service.close();
    work.remove();
  });

  it('shares a project with a user and a team, changes its visibility, and takes access back', async () => {
    expect((await call('bob', 'GET', '/api/projects/alice/study')).status).toBe(404);
    expect((await call('alice', 'PUT', '/api/projects/alice/study/grants/users/bob', { level: 'write' })).status).toBe(200);
    expect((await call('bob', 'GET', '/api/projects/alice/study')).body).toMatchObject({ myLevel: 'write' });

    expect((await call('alice', 'POST', '/api/teams', { name: 'analysts' })).status).toBe(201);
    expect((await call('alice', 'PUT', '/api/teams/analysts/members/carol', { role: 'member' })).status).toBe(200);
    expect((await call('alice', 'PUT', '/api/projects/alice/study/grants/teams/analysts', { level: 'read' })).status).toBe(200);
    expect((await call('carol', 'GET', '/api/projects/alice/study')).body).toMatchObject({ myLevel: 'read' });
    const grants = await call('alice', 'GET', '/api/projects/alice/study/grants');
    expect(grants.body).toMatchObject({ users: [{ name: 'bob', level: 'write' }], teams: [{ name: 'analysts', level: 'read' }] });

    expect((await call('alice', 'PATCH', '/api/projects/alice/study', { visibility: 'hub' })).body).toMatchObject({ visibility: 'hub' });
    expect((await call('alice', 'DELETE', '/api/teams/analysts/members/carol')).status).toBe(204);
    expect((await call('alice', 'DELETE', '/api/projects/alice/study/grants/users/bob')).status).toBe(204);
    expect((await call('bob', 'GET', '/api/projects/alice/study')).body).toMatchObject({ myLevel: 'read' });
    expect((await call('alice', 'GET', '/api/teams/analysts')).status).toBe(200);
    expect((await call('alice', 'GET', '/api/teams')).body).toMatchObject({ teams: [{ name: 'analysts' }] });
  });

  it('passes the service\'s refusals on, with their reasons', async () => {
    const notAdmin = await call('bob', 'PUT', '/api/projects/alice/study/grants/users/carol', { level: 'admin' });
    expect(notAdmin.status).toBe(403);
    const noSuchUser = await call('alice', 'PUT', '/api/projects/alice/study/grants/users/nobody', { level: 'read' });
    expect(noSuchUser.status).toBe(404);
    expect(noSuchUser.body.error?.code).toBe('no_such_user');
    const badLevel = await call('alice', 'PUT', '/api/projects/alice/study/grants/users/bob', { level: 'owner' });
    expect(badLevel.status).toBe(400);
  });

  it('refuses names that do not follow the grammar before they reach a URL', async () => {
    for (const path of ['/api/projects/alice/..%2Fx/grants', '/api/teams/Bad%20Team']) {
      const response = await call('alice', 'GET', path);
      expect(response.status, path).toBe(400);
      expect(response.body.error?.code, path).toBe('invalid_name');
    }
    expect((await call('alice', 'PUT', '/api/projects/alice/study/grants/users/bob%2F..%2F..', { level: 'read' })).body.error?.code).toBe('invalid_name');
    expect((await call('alice', 'DELETE', '/api/teams/Bad%20Team')).body.error?.code).toBe('invalid_name');
  });
});
