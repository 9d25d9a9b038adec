import express from 'express';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningService, startService } from '../../../server/service/cli';
import { listen, type Listening, temporaryDirectory } from '../http-harness';
import { callApi } from './service-harness';
import { freshPostgresDatabase, testEngines } from './test-databases';

/**
 * A stand-in for JupyterHub's `GET /hub/api/user` (the hub boundary; the real hub runs in the
 * end-to-end suite): tokens map to user models the test edits as a hub admin would.
 */
function fakeHub(models: Map<string, Record<string, unknown>>) {
  const app = express();
  app.get('/hub/api/user', (req, res) => {
    const token = /^token (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    const model = token ? models.get(token) : undefined;
    if (!model) {
      res.status(403).json({ status: 403, message: 'Forbidden' });
      return;
    }
    res.json(model);
  });
  return app;
}

const ACCESS = ['access:services!service=hubshare'];

describe.each(testEngines())('under JupyterHub, on %s', engine => {
  let hub: Listening;
  let service: RunningService;
  let dataDir: ReturnType<typeof temporaryDirectory>;
  let dropDatabase: (() => Promise<void>) | undefined;
  const models = new Map<string, Record<string, unknown>>();

  beforeEach(async () => {
    models.clear();
    models.set('alice-hub-token', { name: 'alice', admin: false, groups: ['analysts'], scopes: ACCESS });
    models.set('bob-hub-token', { name: 'bob', admin: false, groups: ['analysts', 'Not A Team Name'], scopes: ACCESS });
    models.set('root-hub-token', { name: 'root', admin: true, groups: [], scopes: ['access:services'] });
    models.set('mallory-hub-token', { name: 'mallory', admin: false, groups: [], scopes: ACCESS });
    models.set('eve-hub-token', { name: 'eve', admin: false, groups: [], scopes: [] });
    hub = await listen(fakeHub(models));
    dataDir = temporaryDirectory();
    const postgres = engine === 'postgres' ? await freshPostgresDatabase() : undefined;
    dropDatabase = postgres?.drop;
    service = await startService(['--data-dir', dataDir.path, '--port', '0', ...(postgres ? ['--database', postgres.url] : [])], {
      cwd: dataDir.path,
      logger: pino({ enabled: false }),
      env: {
        JUPYTERHUB_API_URL: `${hub.url}/hub/api`,
        JUPYTERHUB_API_TOKEN: 'the-service-token',
        JUPYTERHUB_SERVICE_PREFIX: '/services/hubshare/',
        JUPYTERHUB_CLIENT_ID: 'service-hubshare'
      }
    });
  });
  afterEach(async () => {
    await service.close();
    await hub.close();
    await dropDatabase?.();
    dataDir.remove();
  });

  const api = (token: string, method: string, path: string, body?: unknown) => callApi(service, token, method, path, body);

  it('serves under the prefix the hub routes to it', async () => {
    expect(service.url).toMatch(/\/services\/hubshare$/);
    expect((await fetch(`${service.url}/health`)).status).toBe(200);
    expect((await fetch(service.url.replace('/services/hubshare', '/health'))).status).toBe(404);
  });

  it('knows callers by their hub token, with hub groups as teams', async () => {
    const response = await api('alice-hub-token', 'GET', '/user');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ name: 'alice', admin: false, teams: ['analysts'] });
    expect((await api('not-a-token', 'GET', '/user')).status).toBe(401);
    const noScope = await api('eve-hub-token', 'GET', '/user');
    expect(noScope.status).toBe(403);
    expect(((await noScope.json()) as { error: { code: string } }).error.code).toBe('no_service_access');
  });

  it('follows hub group membership on the very next request, and keeps hub teams read-only', async () => {
    expect((await api('alice-hub-token', 'POST', '/projects', { name: 'survey' })).status).toBe(201);
    expect((await api('bob-hub-token', 'GET', '/projects/alice/survey')).status).toBe(404);
    expect((await api('alice-hub-token', 'PUT', '/projects/alice/survey/grants/teams/analysts', { level: 'read' })).status).toBe(200);
    expect((await api('bob-hub-token', 'GET', '/projects/alice/survey')).status).toBe(200);

    models.set('bob-hub-token', { name: 'bob', admin: false, groups: [], scopes: ACCESS });
    expect((await api('bob-hub-token', 'GET', '/projects/alice/survey')).status).toBe(404);

    const team = await api('alice-hub-token', 'GET', '/teams/analysts');
    expect(await team.json()).toMatchObject({ name: 'analysts', source: 'hub' });
    const change = await api('root-hub-token', 'PUT', '/teams/analysts/members/alice', {});
    expect(change.status).toBe(403);
    expect(((await change.json()) as { error: { code: string } }).error.code).toBe('hub_team');
  });

  it('a HubShare team named like a hub group, made before anyone of the group signed in, gets neither the group\'s members nor its grants', async () => {
    expect((await api('mallory-hub-token', 'POST', '/teams', { name: 'analysts' })).status).toBe(201);
    // alice signs in: the group takes its name; mallory's team keeps its members and grants under another.
    expect(await (await api('alice-hub-token', 'GET', '/user')).json()).toEqual({ name: 'alice', admin: false, teams: ['analysts'] });
    expect(await (await api('alice-hub-token', 'GET', '/teams/analysts')).json()).toMatchObject({ name: 'analysts', source: 'hub', members: [{ name: 'alice' }] });
    expect(await (await api('mallory-hub-token', 'GET', '/teams/analysts-team')).json()).toMatchObject({
      source: 'hubshare',
      members: [{ name: 'mallory', role: 'maintainer' }]
    });
    expect(await (await api('mallory-hub-token', 'GET', '/user')).json()).toEqual({ name: 'mallory', admin: false, teams: ['analysts-team'] });

    // What alice shares with the group reaches the group, never mallory.
    expect((await api('alice-hub-token', 'POST', '/projects', { name: 'survey' })).status).toBe(201);
    expect((await api('alice-hub-token', 'PUT', '/projects/alice/survey/grants/teams/analysts', { level: 'read' })).status).toBe(200);
    expect((await api('bob-hub-token', 'GET', '/projects/alice/survey')).status).toBe(200);
    expect((await api('mallory-hub-token', 'GET', '/projects/alice/survey')).status).toBe(404);
    expect((await api('mallory-hub-token', 'PUT', '/teams/analysts/members/mallory', {})).status).toBe(403);
  });

  it('a HubShare team cannot take the name of a hub group once it is known', async () => {
    expect((await api('alice-hub-token', 'GET', '/user')).status).toBe(200);
    const taken = await api('mallory-hub-token', 'POST', '/teams', { name: 'analysts' });
    expect(taken.status).toBe(409);
    expect((await api('mallory-hub-token', 'POST', '/teams', { name: 'crew' })).status).toBe(201);
    expect((await api('mallory-hub-token', 'PATCH', '/teams/crew', { name: 'analysts' })).status).toBe(409);
  });

  it('makes a hub admin admin everywhere', async () => {
    expect((await api('alice-hub-token', 'POST', '/projects', { name: 'private-work' })).status).toBe(201);
    expect((await api('root-hub-token', 'PATCH', '/projects/alice/private-work', { description: 'seen by root' })).status).toBe(200);
  });
});
