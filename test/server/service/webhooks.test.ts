import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseWebhookUrl } from '../../../server/service/domain/webhooks';
import { callApi, startTestService, type TestService } from './service-harness';
import { testEngines } from './test-databases';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on loopback that answers `status` and keeps what it got. */
async function startReceiver(port = 0, status = 200): Promise<{ url: string; port: number; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = status;
      res.end('thanks');
    });
  });
  await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}/hook`,
    port: bound,
    received,
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      })
  };
}

/** A loopback port nothing listens on: a receiver that is down. */
async function freePort(): Promise<number> {
  const probe = await startReceiver();
  await probe.close();
  return probe.port;
}

async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise(resolve => setTimeout(resolve, 25));
  }
}

/** What a receiver does: recompute the HMAC of "<t>.<raw body>" and compare in constant time. */
function verify(secret: string, received: Received): { timestamp: number } {
  const header = String(received.headers['x-hubshare-signature'] ?? '');
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!match) {
    throw new Error(`malformed signature header: ${header}`);
  }
  const expected = createHmac('sha256', secret).update(`${match[1]}.${received.body}`).digest();
  if (!timingSafeEqual(expected, Buffer.from(match[2], 'hex'))) {
    throw new Error('the signature does not match');
  }
  return { timestamp: Number(match[1]) };
}

interface Delivery {
  id: string;
  event: string;
  type: string;
  status: string;
  attempts: number;
  responseStatus: number | null;
  error: string | null;
}

const FAST = { allowLoopbackHttp: true, pollIntervalMs: 20, backoffBaseMs: 100, maxAttempts: 4, timeoutMs: 2000 };

describe.each(testEngines())('webhooks, on %s', engine => {
  let service: TestService;
  const tokens: Record<string, string> = {};
  const cleanups: (() => Promise<void>)[] = [];

  const api = async (user: string, method: string, path: string, body?: unknown) => callApi(service, tokens[user], method, path, body);
  const json = async <T>(response: Promise<Response>, status: number): Promise<T> => {
    const answer = await response;
    expect(answer.status, await answer.clone().text()).toBe(status);
    return (await answer.json()) as T;
  };
  const deliveries = async (path: string) => (await json<{ deliveries: Delivery[] }>(api('alice', 'GET', `${path}/deliveries`), 200)).deliveries;

  async function start(options: Partial<typeof FAST> = {}) {
    service = await startTestService(engine, { webhooks: { ...FAST, ...options }, deliver: true });
    for (const user of ['alice', 'bob']) {
      tokens[user] = await service.userWithToken(user);
    }
    await json(api('alice', 'POST', '/projects', { name: 'analysis' }), 201);
  }
  async function receiver(port?: number, status?: number) {
    const started = await startReceiver(port, status);
    cleanups.push(started.close);
    return started;
  }
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) {
      await cleanup();
    }
    await service.close();
  });

  it('signs each delivery so that a loopback receiver can verify it, and shows the secret only once', async () => {
    await start();
    const hook = await receiver();
    const created = await json<{ id: string; url: string; secret: string }>(api('alice', 'POST', '/projects/alice/analysis/webhooks', { url: hook.url }), 201);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const listed = await json<{ webhooks: unknown[] }>(api('alice', 'GET', '/projects/alice/analysis/webhooks'), 200);
    expect(listed.webhooks).toEqual([{ id: created.id, url: hook.url, createdBy: 'alice', createdAt: expect.any(String) }]);

    await json(api('alice', 'PUT', '/projects/alice/analysis/grants/users/bob', { level: 'read' }), 200);
    const [delivery] = await eventually(() => (hook.received.length > 0 ? hook.received : undefined), 'the delivery');
    const { timestamp } = verify(created.secret, delivery);
    expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(60);
    expect(() => verify(`${created.secret}x`, delivery)).toThrow(/does not match/);
    expect(delivery.headers['x-hubshare-event']).toBe('grant.changed');
    expect(delivery.headers['content-type']).toBe('application/json');
    expect(JSON.parse(delivery.body)).toMatchObject({ type: 'grant.changed', actor: 'alice', user: 'bob', level: 'read', project: { owner: 'alice', name: 'analysis' } });

    const log = await eventually(async () => {
      const entries = await deliveries(`/projects/alice/analysis/webhooks/${created.id}`);
      return entries[0]?.status === 'delivered' ? entries : undefined;
    }, 'the delivery log');
    expect(log).toEqual([expect.objectContaining({ id: delivery.headers['x-hubshare-delivery'], type: 'grant.changed', attempts: 1, responseStatus: 200, error: null })]);
    expect(service.logs.some(line => line.includes(created.secret))).toBe(false);
  });

  it('delivers to a receiver that was down once it is back, across a service restart', async () => {
    await start({ backoffBaseMs: 200 });
    const port = await freePort();
    const created = await json<{ id: string; secret: string }>(
      api('alice', 'POST', '/projects/alice/analysis/webhooks', { url: `http://127.0.0.1:${port}/hook` }),
      201
    );
    const path = `/projects/alice/analysis/webhooks/${created.id}`;
    await json(api('alice', 'PATCH', '/projects/alice/analysis', { description: 'now with data' }), 200);
    const [failed] = await eventually(async () => {
      const entries = await deliveries(path);
      return entries[0]?.attempts >= 1 ? entries : undefined;
    }, 'a failed attempt');
    expect(failed).toMatchObject({ type: 'project.updated', status: 'pending', responseStatus: null, error: expect.stringMatching(/ECONNREFUSED/) });

    // Down goes the service with the delivery still pending; the receiver comes back on its port.
    await service.restart();
    const hook = await receiver(port);
    const [delivery] = await eventually(() => (hook.received.length > 0 ? hook.received : undefined), 'the late delivery');
    verify(created.secret, delivery);
    expect(delivery.headers['x-hubshare-delivery']).toBe(failed.id);
    expect(JSON.parse(delivery.body)).toMatchObject({ id: failed.event, type: 'project.updated', changes: { description: 'now with data' } });
    const [done] = await eventually(async () => {
      const entries = await deliveries(path);
      return entries[0]?.status === 'delivered' ? entries : undefined;
    }, 'the delivered status');
    expect(done.attempts).toBeGreaterThanOrEqual(2);
  });

  it('backs off and marks a delivery failed after the last attempt, each attempt with the same delivery id', async () => {
    await start({ maxAttempts: 3, backoffBaseMs: 30 });
    const hook = await receiver(undefined, 500);
    const created = await json<{ id: string }>(api('alice', 'POST', '/projects/alice/analysis/webhooks', { url: hook.url }), 201);
    await json(api('alice', 'PATCH', '/projects/alice/analysis', { visibility: 'hub' }), 200);
    const [failed] = await eventually(async () => {
      const entries = await deliveries(`/projects/alice/analysis/webhooks/${created.id}`);
      return entries[0]?.status === 'failed' ? entries : undefined;
    }, 'the failed status');
    expect(failed).toMatchObject({ attempts: 3, responseStatus: 500, error: expect.stringMatching(/HTTP 500/) });
    expect(hook.received).toHaveLength(3);
    expect(new Set(hook.received.map(request => request.headers['x-hubshare-delivery']))).toEqual(new Set([failed.id]));
  });

  it('sends a team\'s webhook the team\'s events and those of projects granted to the team', async () => {
    await start();
    const hook = await receiver();
    await json(api('alice', 'POST', '/teams', { name: 'crew' }), 201);
    const created = await json<{ id: string }>(api('alice', 'POST', '/teams/crew/webhooks', { url: hook.url }), 201);
    await json(api('alice', 'PUT', '/teams/crew/members/bob', {}), 200);
    expect((await api('bob', 'GET', '/teams/crew/webhooks')).status).toBe(403);
    await json(api('alice', 'PUT', '/projects/alice/analysis/grants/teams/crew', { level: 'read' }), 200);
    await json(api('alice', 'PATCH', '/projects/alice/analysis', { name: 'renamed' }), 200);
    const types = await eventually(
      () => (hook.received.length >= 3 ? hook.received.map(request => String(request.headers['x-hubshare-event'])).sort() : undefined),
      'three deliveries'
    );
    expect(types).toEqual(['grant.changed', 'member.changed', 'project.renamed']);
    expect((await json<{ deliveries: Delivery[] }>(api('alice', 'GET', `/teams/crew/webhooks/${created.id}/deliveries`), 200)).deliveries).toHaveLength(3);
  });

  it('delivers a deleted project\'s last event to its webhooks, then forgets them', async () => {
    await start();
    const hook = await receiver();
    await json(api('alice', 'POST', '/projects/alice/analysis/webhooks', { url: hook.url }), 201);
    expect((await api('alice', 'DELETE', '/projects/alice/analysis')).status).toBe(204);
    const [delivery] = await eventually(() => (hook.received.length > 0 ? hook.received : undefined), 'the deletion event');
    expect(JSON.parse(delivery.body)).toMatchObject({ type: 'project.deleted', project: { owner: 'alice', name: 'analysis' } });
    await eventually(async () => ((await service.data.db.selectFrom('webhooks').select('id').execute()).length === 0 ? true : undefined), 'the orphan removed');
  });

  it('finds a webhook only under its own project, and deleting it stops its deliveries', async () => {
    await start({ pollIntervalMs: 60_000 });
    await json(api('alice', 'POST', '/projects', { name: 'other' }), 201);
    const created = await json<{ id: string }>(api('alice', 'POST', '/projects/alice/analysis/webhooks', { url: 'https://hooks.example.org/x' }), 201);
    expect((await api('alice', 'DELETE', `/projects/alice/other/webhooks/${created.id}`)).status).toBe(404);
    await json(api('alice', 'PATCH', '/projects/alice/analysis', { description: 'pending' }), 200);
    expect(await service.data.db.selectFrom('webhook_deliveries').select('status').execute()).toEqual([{ status: 'pending' }]);
    expect((await api('alice', 'DELETE', `/projects/alice/analysis/webhooks/${created.id}`)).status).toBe(204);
    expect(await service.data.db.selectFrom('webhook_deliveries').select('status').execute()).toEqual([]);
    expect((await api('alice', 'GET', `/projects/alice/analysis/webhooks/${created.id}/deliveries`)).status).toBe(404);
  });
});

describe('webhook URLs', () => {
  const strict = { allowLoopbackHttp: false };
  const loose = { allowLoopbackHttp: true };

  it.each(['https://hooks.example.org/hubshare', 'https://10.1.2.3:8443/x?team=a'])('accepts %s', url => {
    expect(parseWebhookUrl(url, strict)).toBe(url);
  });

  it.each([
    ['http://hooks.example.org/x', /https:\/\//],
    ['ftp://hooks.example.org/x', /https:\/\//],
    ['file:///etc/passwd', /https:\/\//],
    ['https://user:pass@hooks.example.org/x', /user name or password/],
    ['https://token@hooks.example.org/x', /user name or password/],
    ['http://127.0.0.1:8081/hub/api', /turned off/],
    ['https://localhost/x', /turned off/],
    ['https://[::1]/x', /turned off/],
    ['https://[::ffff:127.0.0.1]/x', /turned off/],
    ['not a url', /not a valid URL/],
    [`https://example.org/${'a'.repeat(2000)}`, /at most 2000/]
  ])('refuses %s', (url, message) => {
    expect(() => parseWebhookUrl(url, strict)).toThrow(message);
  });

  it('allows http to loopback only when the service is configured to, and never other http', () => {
    expect(parseWebhookUrl('http://127.0.0.1:9000/hook', loose)).toBe('http://127.0.0.1:9000/hook');
    expect(parseWebhookUrl('http://localhost:9000/hook', loose)).toBe('http://localhost:9000/hook');
    expect(() => parseWebhookUrl('http://hooks.example.org/x', loose)).toThrow(/https:\/\//);
    expect(() => parseWebhookUrl('http://user:pw@127.0.0.1/x', loose)).toThrow(/user name or password/);
  });
});
