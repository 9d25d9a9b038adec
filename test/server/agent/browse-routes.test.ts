import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROXY_SECRET_HEADER } from '../../../server/agent/access';
import { createAgentApp } from '../../../server/agent/app';
import { PageLinks } from '../../../server/agent/page-links';
import { ServiceClient } from '../../../server/agent/service-client';
import { listen, type Listening, rawGet, temporaryDirectory } from '../http-harness';
import { startTestService, type TestService } from '../service/service-harness';
import { notebook } from './checkouts/checkout-harness';

const SECRET = 'a-test-secret-that-is-long-enough-to-pass';

describe('the agent\'s browse API and page links (looking without pulling)', () => {
  let service: TestService;
  let work: ReturnType<typeof temporaryDirectory>;
  const agents: Record<string, { url: string; server: Listening }> = {};
  const tokens: Record<string, string> = {};

  const call = (user: string, path: string, headers: Record<string, string> = {}) =>
    fetch(`${agents[user].url}${path}`, { headers: { [PROXY_SECRET_HEADER]: SECRET, ...headers }, redirect: 'manual' });
  /** Follows the agent's relative redirects the way a browser would, under a `/hubshare/` prefix. */
  const browserPath = (from: string, location: string) => new URL(location, `http://jupyter${from}`).pathname.replace(/^\/hubshare/, '');

  beforeAll(async () => {
    service = await startTestService();
    work = temporaryDirectory('hubshare-agent-browse-');
    process.env.HOME = join(work.path, 'home');
    mkdirSync(process.env.HOME);
    for (const user of ['alice', 'bob']) {
      tokens[user] = await service.userWithToken(user);
      const root = join(work.path, user);
      mkdirSync(root);
      const { app } = createAgentApp({ rootDir: root, proxySecret: SECRET, service: new ServiceClient(service.url, tokens[user]), log: () => {} });
      const server = await listen(app);
      agents[user] = { url: server.url, server };
    }
    const folder = join(work.path, 'alice', 'site');
    mkdirSync(join(folder, 'notes'), { recursive: true });
    writeFileSync(join(folder, 'index.html'), '<h1>Home</h1>');
    writeFileSync(join(folder, 'notes', 'nb.ipynb'), notebook('1'));
    writeFileSync(join(folder, 'notes', 'plot.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]));
    const published = await fetch(`${agents.alice.url}/api/checkouts/publish`, {
      method: 'POST',
      headers: { [PROXY_SECRET_HEADER]: SECRET, 'Content-Type': 'application/json' },
      body: JSON.stringify({ path: 'site', name: 'site' })
    });
    expect(published.status).toBe(201);
    const admin = { Authorization: `token ${tokens.alice}`, 'Content-Type': 'application/json' };
    await fetch(`${service.url}/api/v1/projects/alice/site/grants/users/bob`, { method: 'PUT', headers: admin, body: JSON.stringify({ level: 'read' }) });
    await fetch(`${service.url}/api/v1/projects/alice/site`, { method: 'PATCH', headers: admin, body: JSON.stringify({ pages: 'project' }) });
  }, 60_000);
  afterAll(async () => {
    for (const agent of Object.values(agents)) {
      await agent.server.close();
    }
    await service.close();
    work.remove();
  });

  it('forwards tree, blob (with ETag and 304), log and diff for a reader', async () => {
    const tree = (await (await call('bob', '/api/browse/alice/site/tree/HEAD/notes')).json()) as { entries: { name: string }[] };
    expect(tree.entries.map(entry => entry.name)).toEqual(['nb.ipynb', 'plot.png']);
    const blob = await call('bob', '/api/browse/alice/site/blob/HEAD/notes/plot.png');
    expect(blob.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await blob.arrayBuffer())).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]));
    const etag = blob.headers.get('etag') ?? '';
    expect((await call('bob', '/api/browse/alice/site/blob/HEAD/notes/plot.png', { 'If-None-Match': etag })).status).toBe(304);
    const log = (await (await call('bob', '/api/browse/alice/site/log?limit=5')).json()) as { commits: unknown[] };
    expect(log.commits).toHaveLength(1);
    expect((await call('bob', '/api/browse/alice/site/diff')).status).toBe(200);
    expect((await call('bob', '/api/browse/alice/site/refs')).status).toBe(200);
  });

  it('passes the service\'s refusals on as they are, and validates names before they reach a URL', async () => {
    const hidden = await call('bob', '/api/browse/alice/secret/tree/HEAD');
    expect(hidden.status).toBe(404);
    expect(((await hidden.json()) as { error: { code: string } }).error.code).toBe('no_such_project');
    for (const path of ['/api/browse/alice/site/tree/HEAD/%2E%2E/%2E%2E/grants', '/api/browse/alice/site/blob/HEAD/a/./b', '/api/browse/alice/site/tree/%2E%2E']) {
      expect((await rawGet(agents.bob.url, path, { [PROXY_SECRET_HEADER]: SECRET })).status, path).toBe(400);
    }
    expect((await call('bob', '/api/browse/Alice%2F..%2Fx/site/refs')).status).toBe(400);
  });

  it('sends a page request on to a signed link, whose view serves the page with its sandbox', async () => {
    const first = await call('bob', '/pages/alice/site/notes/nb.ipynb');
    expect(first.status).toBe(302);
    const viewPath = browserPath('/hubshare/pages/alice/site/notes/nb.ipynb', first.headers.get('location') ?? '');
    expect(viewPath).toMatch(/^\/view\/\d+\.[\w-]+\/alice\/site\/notes\/nb\.ipynb$/);
    const page = await call('bob', viewPath);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/^sandbox allow-scripts/);
    expect(await page.text()).toContain('<div class="cell code">');

    // The page's relative links resolve under the same signed link, without any cookie.
    const link = viewPath.split('/')[2];
    const image = await call('bob', `/view/${link}/alice/site/notes/plot.png`);
    expect(image.headers.get('content-type')).toBe('image/png');
    const root = await call('bob', `/view/${link}/alice/site`);
    expect(root.status).toBe(301);
    expect(root.headers.get('location')).toBe('./site/');
    expect(await (await call('bob', `/view/${link}/alice/site/`)).text()).toContain('<h1>Home</h1>');
  });

  it('refuses a forged, tampered, expired or borrowed link', async () => {
    const location = (await call('bob', '/pages/alice/site/')).headers.get('location') ?? '';
    const link = browserPath('/hubshare/pages/alice/site/', location).split('/')[2];
    const [expires, signature] = link.split('.');
    for (const forged of [`${Number(expires) + 3600}.${signature}`, `${expires}.${signature.slice(0, -2)}AA`, 'nonsense']) {
      const response = await call('bob', `/view/${forged}/alice/site/`);
      expect(response.status, forged).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_page_link');
    }
    // A link for one project opens no other, and one agent's link means nothing to another.
    expect((await call('bob', `/view/${link}/bob/site/`)).status).toBe(403);
    expect((await call('alice', `/view/${link}/alice/site/`)).status).toBe(403);
    // Without the proxy's secret, nothing at all.
    expect((await fetch(`${agents.bob.url}/view/${link}/alice/site/`)).status).toBe(401);

    let now = Date.now();
    const links = new PageLinks(() => now);
    const token = links.issue('alice', 'site');
    expect(() => links.verify(token, 'alice', 'site')).not.toThrow();
    now += 5 * 60 * 60 * 1000;
    expect(() => links.verify(token, 'alice', 'site')).toThrow(/expired/);
  });

  it('gives no page link to someone the pages are not open to: the view answers 404', async () => {
    const admin = { Authorization: `token ${tokens.alice}`, 'Content-Type': 'application/json' };
    await fetch(`${service.url}/api/v1/projects/alice/site`, { method: 'PATCH', headers: admin, body: JSON.stringify({ pages: 'off' }) });
    const location = (await call('bob', '/pages/alice/site/')).headers.get('location') ?? '';
    const view = await call('bob', browserPath('/hubshare/pages/alice/site/', location));
    expect(view.status).toBe(404);
    await fetch(`${service.url}/api/v1/projects/alice/site`, { method: 'PATCH', headers: admin, body: JSON.stringify({ pages: 'project' }) });
  });
});
