import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseWebhookUrl } from '../../../server/service/domain/webhooks';
import { AddressPolicy } from '../../../server/service/webhooks/address-policy';
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

const METRICS_TOKEN = 'operator-metrics-token-for-webhook-tests';
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
    service = await startTestService(engine, { webhooks: { ...FAST, ...options }, deliver: true, metricsToken: METRICS_TOKEN });
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
    const metrics = await (await fetch(`${service.url}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    expect(metrics).toContain('hubshare_webhook_attempts_total{outcome="retrying"} 2');
    expect(metrics).toContain('hubshare_webhook_attempts_total{outcome="failed"} 1');
    expect(metrics).toContain('hubshare_webhook_deliveries_pending 0');
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

  it('a team webhook stops receiving the events of projects granted to the team once its creator left the team', async () => {
    await start();
    const hook = await receiver();
    await json(api('alice', 'POST', '/teams', { name: 'crew' }), 201);
    await json(api('alice', 'PUT', '/teams/crew/members/bob', { role: 'maintainer' }), 200);
    const created = await json<{ id: string }>(api('bob', 'POST', '/teams/crew/webhooks', { url: hook.url }), 201);
    await json(api('alice', 'PUT', '/projects/alice/analysis/grants/teams/crew', { level: 'read' }), 200);
    await eventually(() => (hook.received.length === 1 ? true : undefined), 'the grant delivered while bob maintains the team');

    expect((await api('bob', 'DELETE', '/teams/crew/members/bob')).status).toBe(204);
    await json(api('alice', 'PATCH', '/projects/alice/analysis', { description: 'after bob left' }), 200);
    // Both deliveries after bob left (his removal, the update) are attempted at once: wait until
    // neither is pending, not only the update (the other may still be on its way to its answer).
    const log = await eventually(async () => {
      const entries = await json<{ deliveries: Delivery[] }>(api('alice', 'GET', `/teams/crew/webhooks/${created.id}/deliveries`), 200);
      const settled = entries.deliveries.filter(entry => entry.type === 'project.updated' && entry.status === 'failed');
      return settled.length === 1 && entries.deliveries.every(entry => entry.status !== 'pending') ? entries.deliveries : undefined;
    }, 'the update refused, nothing pending');
    expect(hook.received.map(request => request.headers['x-hubshare-event'])).toEqual(['grant.changed']);
    expect(log.find(entry => entry.type === 'project.updated')).toMatchObject({ attempts: 1, responseStatus: null, error: 'Not sent: bob, who made this webhook, no longer maintains the team.' });
    expect(log.find(entry => entry.type === 'member.removed')).toMatchObject({ status: 'failed' });
  });

  it('a project webhook stops receiving events once its creator lost admin on the project', async () => {
    await start();
    const hook = await receiver();
    await json(api('alice', 'PUT', '/projects/alice/analysis/grants/users/bob', { level: 'admin' }), 200);
    const created = await json<{ id: string }>(api('bob', 'POST', '/projects/alice/analysis/webhooks', { url: hook.url }), 201);
    await json(api('alice', 'PUT', '/projects/alice/analysis/grants/users/bob', { level: 'read' }), 200);
    await json(api('alice', 'PATCH', '/projects/alice/analysis', { description: 'bob reads only' }), 200);
    const log = await eventually(async () => {
      const entries = await deliveries(`/projects/alice/analysis/webhooks/${created.id}`);
      return entries.length === 2 && entries.every(entry => entry.status === 'failed') ? entries : undefined;
    }, 'both refused');
    expect(hook.received).toEqual([]);
    expect(log.map(entry => entry.error)).toEqual([
      'Not sent: bob, who made this webhook, no longer administers the project.',
      'Not sent: bob, who made this webhook, no longer administers the project.'
    ]);
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
  const strict = new AddressPolicy({ allowLoopbackHttp: false, allowedHosts: [] });
  const loose = new AddressPolicy({ allowLoopbackHttp: true, allowedHosts: [] });

  it.each(['https://hooks.example.org/hubshare', 'https://93.184.216.34:8443/x?team=a', 'https://[2606:2800:220:1::1]/x'])('accepts %s', url => {
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
    // Addresses inside the network, however they are written.
    ...[
      'https://[::ffff:0:0]:8443/',
      'https://0.0.0.0/x',
      'https://[::]/x',
      'https://169.254.169.254/latest/meta-data/',
      'https://[::ffff:a9fe:a9fe]/latest/meta-data/',
      'https://10.0.0.1/x',
      'https://172.16.5.4/x',
      'https://192.168.1.1/x',
      'https://100.64.0.1/x',
      'https://[fe80::1]/x',
      'https://[fd00::1]/x',
      'https://[64:ff9b::7f00:1]/x',
      'https://[64:ff9b::a00:1]/x',
      'https://[2002:7f00:1::]/x',
      'https://localhost./x',
      'https://LOCALHOST/x',
      'https://api.localhost/x',
      'https://2130706433/x',
      'https://0x7f.1/x',
      'https://224.0.0.1/x'
    ].map(url => [url, /turned off/] as [string, RegExp]),
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

describe('webhooks never reach inside the hub\'s network', () => {
  let service: TestService;
  let token: string;
  const closers: (() => Promise<void>)[] = [];

  /** A TCP listener on loopback that counts connections: any connection is a webhook reaching inside. */
  async function insideListener(): Promise<{ port: number; connections: () => number }> {
    let connections = 0;
    const server = createNetServer(socket => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>(resolve => server.close(() => resolve())));
    return { port: (server.address() as AddressInfo).port, connections: () => connections };
  }

  async function start(webhooks: NonNullable<Parameters<typeof startTestService>[1]>['webhooks']) {
    service = await startTestService(undefined, { webhooks: { pollIntervalMs: 20, backoffBaseMs: 50, maxAttempts: 2, timeoutMs: 2000, ...webhooks }, deliver: true });
    token = await service.userWithToken('alice');
    expect((await callApi(service, token, 'POST', '/projects', { name: 'analysis' })).status).toBe(201);
  }
  /** Creates a webhook, makes an event, and waits for its delivery's last attempt. */
  async function deliverTo(url: string): Promise<Delivery> {
    const created = await callApi(service, token, 'POST', '/projects/alice/analysis/webhooks', { url });
    expect(created.status, await created.clone().text()).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect((await callApi(service, token, 'PATCH', '/projects/alice/analysis', { description: 'an event' })).status).toBe(200);
    return eventually(async () => {
      const answer = await callApi(service, token, 'GET', `/projects/alice/analysis/webhooks/${id}/deliveries`);
      const [delivery] = ((await answer.json()) as { deliveries: Delivery[] }).deliveries;
      return delivery && delivery.status !== 'pending' ? delivery : undefined;
    }, 'the delivery to give up');
  }

  afterEach(async () => {
    await service.close();
    for (const close of closers.splice(0)) {
      await close();
    }
  });

  it('a webhook to "localhost." (a trailing dot) is refused and never connects', async () => {
    await start({});
    const inside = await insideListener();
    const created = await callApi(service, token, 'POST', '/projects/alice/analysis/webhooks', { url: `https://localhost.:${inside.port}/` });
    expect(created.status).toBe(400);
    expect(inside.connections()).toBe(0);
  });

  it('a host name that resolves to loopback is refused when the delivery connects, and the log tells nothing of the port', async () => {
    await start({ resolver: async () => [{ address: '127.0.0.1', family: 4 }] });
    const inside = await insideListener();
    const delivery = await deliverTo(`https://hooks.inside.test:${inside.port}/`);
    expect(inside.connections()).toBe(0);
    expect(delivery).toMatchObject({ status: 'failed', responseStatus: null });
    expect(delivery.error).toMatch(/^Refused: the receiver's address is inside the hub's network/);
    expect(delivery.error).not.toContain(String(inside.port));
  });

  it('a name that rebinds from a public address to loopback between attempts is refused on the attempt that would reach inside', async () => {
    const answers = [
      [{ address: '93.184.216.34', family: 4 }],
      [{ address: '93.184.216.34', family: 4 }, { address: '::ffff:127.0.0.1', family: 6 }]
    ];
    let asked = 0;
    await start({ resolver: async () => answers[Math.min(asked++, answers.length - 1)], timeoutMs: 300 });
    const inside = await insideListener();
    const delivery = await deliverTo(`https://rebinding.inside.test:${inside.port}/`);
    expect(asked).toBeGreaterThanOrEqual(2);
    expect(inside.connections()).toBe(0);
    expect(delivery.error).toMatch(/^Refused/);
  });

  it('an operator\'s allow-list lets exactly the listed range through', async () => {
    await start({ allowedHosts: ['127.0.0.1/32'], resolver: async () => [{ address: '127.0.0.2', family: 4 }] });
    const inside = await insideListener();
    // Not listed: another loopback address, by name.
    const refused = await deliverTo(`https://other.inside.test:${inside.port}/`);
    expect(refused.error).toMatch(/^Refused/);
    expect(inside.connections()).toBe(0);
    // Listed: that address (the TLS handshake then fails: the listener is no receiver).
    const allowed = await deliverTo(`https://127.0.0.1:${inside.port}/`);
    expect(inside.connections()).toBeGreaterThan(0);
    expect(allowed.error).not.toMatch(/^Refused/);
  });
});

describe('the address policy', () => {
  const strict = new AddressPolicy({ allowLoopbackHttp: false, allowedHosts: [] });

  it.each([
    '127.0.0.1', '127.8.9.10', '0.0.0.0', '10.1.2.3', '172.31.255.255', '192.168.0.1', '169.254.169.254', '100.64.0.1', '100.127.255.254',
    '198.18.0.1', '224.0.0.251', '255.255.255.255', '::', '::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:0:0', '::ffff:a9fe:a9fe',
    '::ffff:10.0.0.1', '::127.0.0.1', 'fe80::1', 'fe80::1%eth0', 'fd12:3456::1', 'fc00::1', 'ff02::1', '64:ff9b::7f00:1', '64:ff9b::a9fe:a9fe',
    '64:ff9b:1::1', '2002:7f00:1::1', '2002:c0a8:101::1', '2001:db8::1'
  ])('refuses %s', address => {
    expect(strict.allowsAddress(address)).toBe(false);
  });

  it.each(['93.184.216.34', '8.8.8.8', '100.128.0.1', '172.32.0.1', '2606:2800:220:1::1', '::ffff:93.184.216.34', '64:ff9b::5db8:d822', '2002:5db8:d822::1'])(
    'allows %s',
    address => {
      expect(strict.allowsAddress(address)).toBe(true);
    }
  );

  it('lets an operator allow names, addresses and ranges, and refuses entries that are none of them', () => {
    const policy = new AddressPolicy({ allowLoopbackHttp: false, allowedHosts: ['dashboard.hub.svc', '10.20.0.0/16', 'fd00::5'] });
    expect(policy.allowsAddress('10.20.3.4')).toBe(true);
    expect(policy.allowsAddress('10.21.3.4')).toBe(false);
    expect(policy.allowsAddress('fd00::5')).toBe(true);
    expect(policy.allowsName('Dashboard.hub.svc.')).toBe(true);
    expect(policy.allowsName('other.hub.svc')).toBe(false);
    expect(() => new AddressPolicy({ allowLoopbackHttp: false, allowedHosts: ['10.0.0.0/99'] })).toThrow(/not an address range/);
    expect(() => new AddressPolicy({ allowLoopbackHttp: false, allowedHosts: ['http://x'] })).toThrow(/not a host name/);
  });
});
