import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { token, openLab, seriousViolations } from './lab';

// Bob, a second user of the same service, publishes a project with plain git; alice (signed in
// to JupyterLab) looks at it without pulling, and opens its pages.
const serviceUrl = `http://127.0.0.1:${process.env.HUBSHARE_UI_SERVICE_PORT}`;
const repo = resolve(__dirname, '..', '..');
const dataDir = join(repo, 'ui-tests', '.run', 'service-data');

/** The script a malicious notebook output runs: it tries to escape its page and reports how far it got. */
const ATTACK = `
<pre id="results">running</pre>
<script>
(async () => {
  const results = {};
  const attempt = async (name, action) => {
    try { results[name] = 'succeeded: ' + String(await action()).slice(0, 80); }
    catch (error) { results[name] = 'blocked: ' + error.name; }
  };
  await attempt('cookie', () => document.cookie);
  await attempt('localStorage', () => window.localStorage.length);
  await attempt('jupyterApi', async () => (await fetch('/api/contents')).status);
  await attempt('hubshareApi', async () => (await fetch('/hubshare/api/status')).status);
  await attempt('serviceApi', async () => (await fetch(${JSON.stringify(serviceUrl)} + '/api/v1/user', { credentials: 'include' })).status);
  await attempt('parentDocument', () => window.parent === window ? 'top level, no parent' : window.parent.document.title);
  document.getElementById('results').textContent = JSON.stringify(results);
})();
</script>`;

const notebook = (outputHtml: string) =>
  JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: [
      { cell_type: 'markdown', metadata: {}, source: '# Quarterly results\n\nNumbers from **bob**.' },
      {
        cell_type: 'code',
        execution_count: 1,
        metadata: {},
        source: 'show(results)',
        outputs: [{ output_type: 'display_data', metadata: {}, data: { 'text/html': outputHtml, 'text/plain': 'results' } }]
      }
    ]
  });

/**
 * A notebook whose author marked its cells trusted, with outputs that run script when trusted:
 * an HTML output with an event handler and a JavaScript output. Each would set a flag on the
 * viewer's JupyterLab window.
 */
const selfTrustedNotebook = JSON.stringify({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
  cells: [
    {
      cell_type: 'code',
      id: 'html-output',
      execution_count: 1,
      metadata: { trusted: true },
      source: 'display(HTML(chart))',
      outputs: [
        {
          output_type: 'display_data',
          metadata: {},
          data: { 'text/html': '<p class="hostile-output">chart</p><img src="data:," onerror="window.__hubshareOwnedByHtml = true">' }
        }
      ]
    },
    {
      cell_type: 'code',
      id: 'javascript-output',
      execution_count: 2,
      metadata: { trusted: true },
      source: 'display(Javascript(code))',
      outputs: [{ output_type: 'display_data', metadata: {}, data: { 'application/javascript': 'window.__hubshareOwnedByJavascript = true;', 'text/plain': 'javascript' } }]
    }
  ]
});

function serviceCli(...args: string[]): string {
  return execFileSync('node', [join(repo, 'bin', 'hubshare-service.cjs'), ...args, '--data-dir', dataDir], { encoding: 'utf8' }).trim();
}

async function asBob(bobToken: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${serviceUrl}/api/v1${path}`, {
    method,
    headers: { Authorization: `token ${bobToken}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  });
}

let bobToken = '';

/** Bob publishes `bob/results` with plain git, shares it with alice to read, and turns pages on. */
async function bobPublishes(): Promise<void> {
  serviceCli('user', 'add', 'bob', '--exist-ok');
  bobToken = serviceCli('token', 'create', 'bob', '--note', 'ui-tests');
  const created = await asBob(bobToken, 'POST', '/projects', { name: 'results' });
  if (created.status === 409) {
    return; // published by an earlier run of this hook (Playwright re-runs it after a failure)
  }
  expect(created.status).toBe(201);
  const work = mkdtempSync(join(tmpdir(), 'hubshare-bob-'));
  try {
    const files: Record<string, string> = {
      'report.ipynb': notebook('<table><tr><td>Q1</td><td>42</td></tr></table>'),
      'attack.ipynb': notebook(ATTACK),
      'self-trusted.ipynb': selfTrustedNotebook,
      'data/sales.csv': 'quarter,amount\nQ1,42\nQ2,57\n',
      'README.md': '# Results\n\nBob\'s numbers.\n'
    };
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(join(work, path, '..'), { recursive: true });
      writeFileSync(join(work, path), content);
    }
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=Bob', '-c', 'user.email=bob@example.org', '-c', `http.extraHeader=Authorization: token ${bobToken}`, ...args], {
        cwd: work,
        env: { PATH: process.env.PATH, HOME: work, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' }
      });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'Quarterly results');
    git('push', '-q', '--force', `${serviceUrl}/git/bob/results.git`, 'main');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  expect((await asBob(bobToken, 'PUT', '/projects/bob/results/grants/users/alice', { level: 'read' })).status).toBe(200);
  expect((await asBob(bobToken, 'PATCH', '/projects/bob/results', { pages: 'project' })).status).toBe(200);
}

test.describe('looking at a shared project without pulling it', () => {
  test.beforeAll(async () => {
    await bobPublishes();
  });
  // The specs share one stack: leave alice as this spec found her (the panel spec checks her empty state).
  test.afterAll(async () => {
    await asBob(bobToken, 'DELETE', '/projects/bob/results');
    rmSync(join(repo, 'ui-tests', '.run', 'workspace', 'results'), { recursive: true, force: true });
  });

  test('alice browses bob\'s project read-only: the notebook renders, the CSV shows in the grid', async ({ page, request }, testInfo) => {
    await openLab(page);
    await page.getByRole('tab', { name: 'Projects' }).click();
    const panel = page.getByRole('region', { name: 'HubShare Projects' });
    await panel.getByRole('button', { name: 'Refresh projects' }).click();
    const shared = panel.getByRole('region', { name: /Shared with me/ });
    await expect(shared.getByRole('listitem')).toContainText(['bob/results']);
    await shared.getByRole('button', { name: 'Browse bob/results without checking out' }).click();

    const browser = page.locator('#jp-hubshare-shared-browser');
    await expect(browser).toBeVisible();
    await expect(browser.locator('.jp-DirListing-item')).toHaveCount(5);
    await expect(browser.locator('.jp-BreadCrumbs')).toContainText('results');
    await browser.locator('.jp-DirListing-item', { hasText: 'report.ipynb' }).dblclick();
    const notebookPanel = page.locator('.jp-NotebookPanel').last();
    await expect(notebookPanel.locator('.jp-RenderedHTMLCommon h1')).toContainText('Quarterly results');
    await expect(notebookPanel.locator('.jp-OutputArea-output table')).toContainText('42');
    // Looking starts nothing: no kernel for bob's notebook (the user may pick one), and the
    // read-only tab is not marked as changed.
    await expect(notebookPanel.locator('.jp-Toolbar-kernelName')).toHaveAttribute('aria-label', 'No Kernel');
    await expect(page.getByRole('tab', { name: /report\.ipynb/ })).not.toHaveClass(/jp-mod-dirty/);
    const sessions = (await (await request.get('/api/sessions', { headers: { Authorization: `token ${token}` } })).json()) as { path: string }[];
    expect(sessions.filter(session => session.path.includes('report.ipynb'))).toEqual([]);
    await page.screenshot({ path: testInfo.outputPath('shared-notebook-without-pull.png') });

    // JupyterLab marks it read-only; saving (Ctrl+S) offers a checkout instead of doing nothing.
    await expect(notebookPanel.getByText('notebook is read-only')).toBeVisible();
    await expect(notebookPanel.getByRole('button', { name: 'Check out to edit' })).toBeVisible();
    await notebookPanel.locator('.jp-Notebook').click();
    await page.keyboard.press('Control+s');
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('This project is read-only here');
    await expect(dialog.getByRole('button', { name: 'Check out to edit' })).toBeVisible();
    expect(await seriousViolations(page, '.jp-Dialog')).toEqual([]);
    await dialog.getByRole('button', { name: 'Keep looking' }).click();
    await expect(dialog).toBeHidden();

    await browser.locator('.jp-DirListing-item', { hasText: 'data' }).dblclick();
    await browser.locator('.jp-DirListing-item', { hasText: 'sales.csv' }).dblclick();
    await expect(page.locator('.jp-CSVViewer')).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('shared-csv-without-pull.png') });

    // Check out to edit: the project lands in a folder of alice's, and the file opens from there.
    await page.locator('.jp-CSVViewer').click();
    await page.getByRole('button', { name: 'Check out to edit' }).last().click();
    await page.locator('.jp-Dialog').getByRole('button', { name: 'Check out to edit' }).click();
    await expect(page.getByText('Checked out bob/results into results.')).toBeVisible();
    const contents = await request.get('/api/contents/results/data/sales.csv', { headers: { Authorization: `token ${token}` } });
    expect(contents.ok()).toBe(true);
    await expect(page.getByRole('tab', { name: /sales\.csv/ })).toHaveCount(2);
  });

  test('a shared notebook whose cells claim to be trusted runs none of its script when opened from the drive', async ({ page }, testInfo) => {
    await openLab(page);
    await page.getByRole('tab', { name: 'Projects' }).click();
    const panel = page.getByRole('region', { name: 'HubShare Projects' });
    await panel.getByRole('button', { name: 'Refresh projects' }).click();
    await panel.getByRole('region', { name: /Shared with me/ }).getByRole('button', { name: 'Browse bob/results without checking out' }).click();
    const browser = page.locator('#jp-hubshare-shared-browser');
    await browser.locator('.jp-DirListing-item', { hasText: 'self-trusted.ipynb' }).dblclick();
    const notebookPanel = page.locator('.jp-NotebookPanel').last();
    // The HTML output is shown, sanitized: its text is there, its handler is gone.
    await expect(notebookPanel.locator('.jp-OutputArea-output .hostile-output')).toHaveText('chart');
    await expect(notebookPanel.locator('.jp-OutputArea-output')).toHaveCount(2);
    // Give anything that would run the time to run, then look.
    await page.waitForTimeout(1000);
    const flags = await page.evaluate(() => {
      const flagged = window as unknown as Record<string, unknown>;
      return { html: flagged.__hubshareOwnedByHtml ?? null, javascript: flagged.__hubshareOwnedByJavascript ?? null };
    });
    expect(flags).toEqual({ html: null, javascript: null });
    await expect(notebookPanel.locator('.jp-OutputArea-output img[onerror]')).toHaveCount(0);
    await page.screenshot({ path: testInfo.outputPath('shared-self-trusted-notebook.png') });
  });

  test('alice sees the project\'s history and what the last push changed', async ({ page }, testInfo) => {
    await openLab(page);
    await page.getByRole('tab', { name: 'Projects' }).click();
    const panel = page.getByRole('region', { name: 'HubShare Projects' });
    await panel.getByRole('button', { name: 'Show the history of bob/results' }).click();
    const history = page.locator('.jp-HubShare-history');
    await expect(history.getByRole('navigation')).toContainText('Quarterly results');
    await expect(history.getByRole('region', { name: 'What changed' })).toContainText('data/sales.csv');
    await expect(history.locator('.jp-HubShare-patchLine.jp-mod-added', { hasText: 'Q2,57' })).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('shared-history.png') });
    expect(await seriousViolations(page, '.jp-HubShare-history')).toEqual([]);
  });

  test('a published notebook renders as a page that cannot touch Jupyter, the hub or the service', async ({ page, context }, testInfo) => {
    await openLab(page);
    // The browser holds Jupyter's login cookie: what a hostile page would want.
    expect((await context.cookies()).length).toBeGreaterThan(0);

    await page.goto('/hubshare/pages/bob/results/report.ipynb');
    expect(page.url()).toContain('/hubshare/view/');
    await expect(page.locator('h1')).toContainText('Quarterly results');
    await page.screenshot({ path: testInfo.outputPath('pages-notebook.png') });

    await page.goto('/hubshare/pages/bob/results/attack.ipynb');
    await expect(page.locator('#results')).not.toHaveText('running');
    const topLevel = JSON.parse((await page.locator('#results').textContent()) ?? '{}') as Record<string, string>;
    expect(topLevel).toEqual({
      cookie: 'blocked: SecurityError',
      localStorage: 'blocked: SecurityError',
      jupyterApi: 'blocked: TypeError',
      hubshareApi: 'blocked: TypeError',
      serviceApi: 'blocked: TypeError',
      parentDocument: 'succeeded: top level, no parent'
    });

    // Framed inside JupyterLab's own origin, it cannot reach its parent either.
    const viewUrl = page.url();
    await openLab(page);
    await page.evaluate(url => {
      const frame = document.createElement('iframe');
      frame.id = 'hostile-page';
      frame.src = url;
      document.body.appendChild(frame);
    }, viewUrl);
    const framed = page.frameLocator('#hostile-page').locator('#results');
    await expect(framed).not.toHaveText('running');
    const inFrame = JSON.parse((await framed.textContent()) ?? '{}') as Record<string, string>;
    expect(inFrame.parentDocument).toBe('blocked: SecurityError');
    expect(inFrame.cookie).toBe('blocked: SecurityError');
    expect(inFrame.jupyterApi).toBe('blocked: TypeError');
  });
});
