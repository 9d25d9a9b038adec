import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../http-harness';
import { cloneUrl, GitClient } from './git-client';
import { startTestService, type TestService } from './service-harness';
import { testEngines } from './test-databases';

const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mP8/x8AAwMCAO+ip1sAAAAASUVORK5CYII=';

/** A notebook with every kind of cell and output a page must show. */
export const SAMPLE_NOTEBOOK = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [
    { cell_type: 'markdown', metadata: {}, source: ['# Results\n', '\n', 'Some *emphasis*.'] },
    {
      cell_type: 'code',
      execution_count: 3,
      metadata: {},
      source: 'print("<b>not bold</b>")',
      outputs: [
        { output_type: 'stream', name: 'stdout', text: ['<b>not bold</b>\n'] },
        { output_type: 'display_data', metadata: {}, data: { 'image/png': PNG_1PX, 'text/plain': '<Figure>' } },
        { output_type: 'execute_result', execution_count: 3, metadata: {}, data: { 'text/html': '<table><tr><td>cell</td></tr></table>', 'text/plain': 'df' } },
        { output_type: 'error', ename: 'ValueError', evalue: 'bad', traceback: ['\u001b[31mValueError\u001b[0m: bad'] }
      ]
    }
  ]
};

describe.each(testEngines())('static pages, on %s', engine => {
  let service: TestService;
  let work: ReturnType<typeof temporaryDirectory>;
  const tokens: Record<string, string> = {};

  const call = (user: string | undefined, method: string, path: string, body?: unknown) =>
    fetch(`${service.url}${path}`, {
      method,
      redirect: 'manual',
      headers: { ...(user ? { Authorization: `token ${tokens[user]}` } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined
    });
  const setPages = async (pages: unknown) => call('alice', 'PATCH', '/api/v1/projects/alice/site', { pages });

  beforeAll(async () => {
    service = await startTestService(engine);
    work = temporaryDirectory('hubshare-pages-');
    for (const user of ['alice', 'reed', 'nora']) {
      tokens[user] = await service.userWithToken(user);
    }
    expect((await call('alice', 'POST', '/api/v1/projects', { name: 'site' })).status).toBe(201);
    expect((await call('alice', 'PUT', '/api/v1/projects/alice/site/grants/users/reed', { level: 'read' })).status).toBe(200);
    const git = new GitClient(join(work.path, 'home'));
    const clone = join(work.path, 'site');
    await git.run(['clone', '-q', cloneUrl(service.url, 'alice', tokens.alice, 'alice/site'), clone]);
    const files: Record<string, string> = {
      'index.html': '<!doctype html><link rel="stylesheet" href="style.css"><h1>Home</h1>',
      'style.css': 'h1 { color: teal; }',
      'report/README.md': '# The report\n\nRead **this**.\n',
      'report/analysis.ipynb': JSON.stringify(SAMPLE_NOTEBOOK),
      'data/plain.csv': 'a,b\n1,2\n',
      'data/broken.ipynb': '{ not json'
    };
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(join(clone, path, '..'), { recursive: true });
      writeFileSync(join(clone, path), content);
    }
    await git.run(['add', '-A'], clone);
    await git.run(['commit', '-q', '-m', 'site'], clone);
    await git.run(['push', '-q', 'origin', 'main'], clone);
  }, 60_000);
  afterAll(async () => {
    await service.close();
    work.remove();
  });

  it('are off by default, for everyone, the owner included', async () => {
    const response = await call('alice', 'GET', '/pages/alice/site/');
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('no_such_pages');
  });

  it('follow the project\'s permissions when on, and are open to every user when public to the hub', async () => {
    expect((await setPages('project')).status).toBe(200);
    expect((await call('reed', 'GET', '/pages/alice/site/')).status).toBe(200);
    expect((await call('nora', 'GET', '/pages/alice/site/')).status).toBe(404);
    expect((await call(undefined, 'GET', '/pages/alice/site/')).status).toBe(401);
    const view = (await (await setPages('hub')).json()) as { pages: string };
    expect(view.pages).toBe('hub');
    expect((await call('nora', 'GET', '/pages/alice/site/')).status).toBe(200);
    expect((await call(undefined, 'GET', '/pages/alice/site/')).status).toBe(401);
    expect((await call('nora', 'PATCH', '/api/v1/projects/alice/site', { pages: 'off' })).status).toBe(404);
    expect((await call('reed', 'PATCH', '/api/v1/projects/alice/site', { pages: 'off' })).status).toBe(403);
  });

  it('refuses an unknown setting and changes nothing', async () => {
    await setPages('project');
    const response = await setPages('everyone');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_pages');
    const project = (await (await call('alice', 'GET', '/api/v1/projects/alice/site')).json()) as { pages: string };
    expect(project.pages).toBe('project');
  });

  it('serves index.html at the root, files with their type, and sends folders to folder/', async () => {
    await setPages('project');
    const root = await call('reed', 'GET', '/pages/alice/site');
    expect(root.status).toBe(301);
    expect(root.headers.get('location')).toBe('./site/');
    const index = await call('reed', 'GET', '/pages/alice/site/');
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await index.text()).toContain('<h1>Home</h1>');
    const css = await call('reed', 'GET', '/pages/alice/site/style.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await call('reed', 'GET', '/pages/alice/site/report')).headers.get('location')).toBe('./report/');
    expect((await call('reed', 'GET', '/pages/alice/site/nothing-here')).status).toBe(404);
  });

  it('renders a folder\'s README, or lists the folder', async () => {
    const readme = await (await call('reed', 'GET', '/pages/alice/site/report/')).text();
    expect(readme).toContain('<h1>The report</h1>');
    expect(readme).toContain('<strong>this</strong>');
    const listing = await (await call('reed', 'GET', '/pages/alice/site/data/')).text();
    expect(listing).toContain('<a href="plain.csv">plain.csv</a>');
  });

  it('renders a notebook: markdown, escaped source, streams, images, HTML and errors', async () => {
    const html = await (await call('reed', 'GET', '/pages/alice/site/report/analysis.ipynb')).text();
    expect(html).toContain('<h1>Results</h1>');
    expect(html).toContain('<em>emphasis</em>');
    expect(html).toContain('print(&quot;&lt;b&gt;not bold&lt;/b&gt;&quot;)');
    expect(html).toContain('<pre class="stdout">&lt;b&gt;not bold&lt;/b&gt;\n</pre>');
    expect(html).toContain(`src="data:image/png;base64,${PNG_1PX}"`);
    expect(html).toContain('<table><tr><td>cell</td></tr></table>');
    expect(html).toContain('ValueError: bad');
    expect(html).not.toContain('\u001b');
    const broken = await call('reed', 'GET', '/pages/alice/site/data/broken.ipynb');
    expect(broken.status).toBe(200);
    expect(await broken.text()).toBe('{ not json');
  });

  it('sends every answer, redirects and errors included, with the sandboxing policy', async () => {
    for (const path of ['/pages/alice/site/', '/pages/alice/site', '/pages/alice/site/style.css', '/pages/alice/site/report/analysis.ipynb', '/pages/alice/site/missing']) {
      const response = await call('reed', 'GET', path);
      const policy = response.headers.get('content-security-policy') ?? '';
      expect(policy, path).toMatch(/^sandbox allow-scripts/);
      expect(policy, path).not.toContain('allow-same-origin');
      expect(policy, path).toContain("connect-src 'none'");
      expect(response.headers.get('referrer-policy'), path).toBe('no-referrer');
    }
  });
});
