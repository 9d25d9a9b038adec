import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../http-harness';
import { cloneUrl, GitClient } from './git-client';
import { callApi, startTestService, type TestService } from './service-harness';
import { testEngines } from './test-databases';

const METRICS_TOKEN = `metrics-${randomBytes(16).toString('hex')}`;

/** One sample's value from the Prometheus text, or undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-z_:]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) {
      continue;
    }
    const has = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map(([, key, value]) => [key, value]));
    if (Object.entries(labels).every(([key, value]) => has[key] === value)) {
      return Number(match[3]);
    }
  }
  return undefined;
}

describe.each(testEngines())('GET /metrics, on %s', engine => {
  let service: TestService;
  let work: ReturnType<typeof temporaryDirectory>;
  let alice: string;
  let root: string;

  const scrape = (authorization?: string) => fetch(`${service.url}/metrics`, { headers: authorization ? { Authorization: authorization } : {} });

  beforeAll(async () => {
    service = await startTestService(engine, { metricsToken: METRICS_TOKEN });
    work = temporaryDirectory('hubshare-metrics-');
    alice = await service.userWithToken('alice');
    root = await service.userWithToken('root', { admin: true });
  });
  afterAll(async () => {
    await service.close();
    work.remove();
  });

  it('a user\'s token cannot read the metrics, not even a hub admin\'s, and none says whose work is going on', async () => {
    const anonymous = await scrape();
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="HubShare metrics"');
    for (const token of [alice, root]) {
      const response = await scrape(`Bearer ${token}`);
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_operator');
    }
    expect((await scrape(`Bearer ${METRICS_TOKEN.slice(0, -1)}`)).status).toBe(401);
    expect((await scrape(`Basic ${Buffer.from(`x:${METRICS_TOKEN}x`).toString('base64')}`)).status).toBe(401);
  });

  it('counts requests by declared route and status, git bytes each way, and the database pools', async () => {
    expect((await callApi(service, alice, 'POST', '/projects', { name: 'measured' })).status).toBe(201);
    expect((await callApi(service, alice, 'GET', '/projects/alice/measured')).status).toBe(200);
    expect((await callApi(service, alice, 'GET', '/projects/alice/no-such-project')).status).toBe(404);
    const random = `/api/v1/${randomBytes(6).toString('hex')}`;
    expect((await fetch(`${service.url}${random}`)).status).toBe(404);

    const git = new GitClient(join(work.path, 'home'));
    const url = cloneUrl(service.url, 'alice', alice, 'alice/measured');
    const mine = join(work.path, 'mine');
    await git.run(['clone', '-q', url, mine]);
    writeFileSync(join(mine, 'data.bin'), randomBytes(200_000));
    await git.run(['add', 'data.bin'], mine);
    await git.run(['commit', '-q', '-m', 'data'], mine);
    await git.run(['push', '-q', 'origin', 'main'], mine);
    await git.run(['clone', '-q', url, join(work.path, 'again')]);

    const response = await scrape(`Bearer ${METRICS_TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const route = '/api/v1/projects/:owner/:name';
    expect(sample(text, 'hubshare_http_requests_total', { method: 'GET', route, status: '200' })).toBe(1);
    expect(sample(text, 'hubshare_http_requests_total', { method: 'GET', route, status: '404' })).toBe(1);
    expect(sample(text, 'hubshare_http_request_duration_seconds_count', { method: 'GET', route })).toBe(2);
    expect(sample(text, 'hubshare_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBeGreaterThanOrEqual(1);
    // Bounded labels: no requested path, project or user name becomes a series.
    expect(text).not.toContain(random);
    expect(text).not.toContain('measured');
    expect(text).not.toContain('alice');
    expect(text).not.toContain(METRICS_TOKEN);

    expect(sample(text, 'hubshare_git_requests_total', { service: 'git-receive-pack', outcome: 'ok' })).toBe(2); // advertisement + pack
    expect(sample(text, 'hubshare_git_bytes_total', { service: 'git-receive-pack', direction: 'in' })).toBeGreaterThan(200_000);
    expect(sample(text, 'hubshare_git_bytes_total', { service: 'git-upload-pack', direction: 'out' })).toBeGreaterThan(200_000);
    expect(sample(text, 'hubshare_git_request_duration_seconds_count', { service: 'git-upload-pack' })).toBeGreaterThanOrEqual(4);
    expect(sample(text, 'hubshare_webhook_deliveries_pending')).toBe(0);
    expect(sample(text, 'hubshare_process_resident_memory_bytes')).toBeGreaterThan(0);
    if (engine === 'postgres') {
      expect(sample(text, 'hubshare_db_pool_max_connections', { pool: 'store' })).toBe(10);
      expect(sample(text, 'hubshare_db_pool_max_connections', { pool: 'locks' })).toBe(64);
      expect(sample(text, 'hubshare_db_pool_connections', { pool: 'store' })).toBeGreaterThan(0);
    } else {
      expect(text).not.toContain('hubshare_db_pool_connections{');
    }
  });

  it('counts webhook deliveries waiting in the database', async () => {
    const hook = await callApi(service, alice, 'POST', '/projects/alice/measured/webhooks', { url: 'https://hooks.example.org/measured' });
    expect(hook.status).toBe(201);
    expect((await callApi(service, alice, 'PATCH', '/projects/alice/measured', { description: 'changed' })).status).toBe(200);
    const text = await (await scrape(`Bearer ${METRICS_TOKEN}`)).text();
    expect(sample(text, 'hubshare_webhook_deliveries_pending')).toBe(1);
  });
});

describe('GET /metrics without an operator token configured', () => {
  it('is closed to everyone, saying how to open it', async () => {
    const service = await startTestService('sqlite');
    try {
      const root = await service.userWithToken('root', { admin: true });
      const response = await fetch(`${service.url}/metrics`, { headers: { Authorization: `Bearer ${root}` } });
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({
        error: { code: 'metrics_disabled', message: 'Metrics are off: the operator sets HUBSHARE_METRICS_TOKEN and scrapes with it as a Bearer token.' }
      });
    } finally {
      await service.close();
    }
  });
});
