import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveRepositories } from '../../test/server/agent/checkouts/internet-git';
import { type Listening } from '../../test/server/http-harness';
import { rightClickFolder, runFromPalette } from '../tests/lab';

// The story on a real JupyterHub, two people in two browsers: alice publishes and shares with
// the hub group "analysts"; bob, once the hub admin puts him in it, looks without pulling,
// checks out, pushes; alice pulls his change; both change the same cell and alice picks what to
// keep; alice clones a project from "the internet" and publishes its pages; taken out of the
// group, bob is refused; the hub's admin can open everything.
const adminToken = process.env.HUB_E2E_ADMIN_TOKEN ?? '';

const notebook = (line: string) =>
  JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' } },
    cells: [
      { cell_type: 'markdown', metadata: {}, source: '# Field study' },
      { cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: line }
    ]
  });

/** Calls the hub's REST API as its admin (a service token the demo config grants admin scopes). */
async function asHubAdmin(page: Page, method: 'POST' | 'DELETE', path: string, data: unknown): Promise<void> {
  const response = await page.request.fetch(`/hub/api${path}`, { method, headers: { Authorization: `token ${adminToken}` }, data });
  expect(response.ok(), `${method} ${path}: ${response.status()}`).toBe(true);
}

/** Logs in (any password) and waits for the user's JupyterLab with HubShare in it. */
async function logIn(context: BrowserContext, user: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto('/hub/login');
  await page.locator('#username_input').fill(user);
  await page.locator('#password_input').fill('any');
  await page.locator('#login_submit').click();
  await page.waitForURL(new RegExp(`/user/${user}/lab`), { timeout: 120_000 });
  await expect(page.getByRole('tab', { name: 'Projects' })).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('.jp-Launcher')).toBeVisible();
  return page;
}

/** Jupyter's contents API of the user's server, with the browser's login (cookie + XSRF). */
async function contents(page: Page, user: string, method: 'GET' | 'PUT', path: string, data?: unknown) {
  const xsrf = (await page.context().cookies()).find(cookie => cookie.name === '_xsrf')?.value ?? '';
  return page.request.fetch(`/user/${user}/api/contents/${path}`, { method, headers: { 'X-XSRFToken': xsrf }, data });
}

/** "The internet": a public repository `survey.git` on a git smart-HTTP server on loopback. */
async function internetRepository(): Promise<{ url: string; close(): Promise<void> }> {
  const root = mkdtempSync(join(tmpdir(), 'hubshare-internet-'));
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=Survey Team', '-c', 'user.email=survey@example.org', ...args], { cwd, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });
  git(root, 'init', '--quiet', '--bare', '--initial-branch=main', 'survey.git');
  const work = join(root, 'work');
  git(root, 'init', '--quiet', '--initial-branch=main', work);
  writeFileSync(join(work, 'README.md'), '# Survey tools\n\nMethods for counting sites, shared by the survey team.\n');
  writeFileSync(
    join(work, 'report.ipynb'),
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [
        { cell_type: 'markdown', id: 'title', metadata: {}, source: '# Survey report' },
        { cell_type: 'code', id: 'count', metadata: {}, execution_count: 1, source: 'print(len(sites))', outputs: [{ output_type: 'stream', name: 'stdout', text: '42 sites\n' }] }
      ]
    })
  );
  git(work, 'add', '.');
  git(work, 'commit', '--quiet', '-m', 'Survey tools');
  git(work, 'push', '--quiet', join(root, 'survey.git'), 'main');
  const server: Listening = await serveRepositories(root);
  return {
    url: `${server.url}/survey.git`,
    close: async () => {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
  };
}

/** Publishes alice's folder from the file browser's right-click menu, then opens its Share dialog. */
async function publishAndShare(page: Page, folder: string) {
  await rightClickFolder(page, folder);
  await page.getByRole('menuitem', { name: 'Publish as Project…' }).click();
  await page.locator('.jp-Dialog').getByRole('button', { name: 'Publish' }).click();
  await expect(page.getByText(`Published alice/${folder}.`)).toBeVisible();
  await rightClickFolder(page, folder);
  await page.getByRole('menuitem', { name: 'Share Project…' }).click();
  return page.locator('.jp-Dialog');
}

async function projectsPanel(page: Page) {
  const panel = page.getByRole('region', { name: 'HubShare Projects' });
  if (!(await panel.isVisible())) {
    await page.getByRole('tab', { name: 'Projects' }).click();
  }
  await panel.getByRole('button', { name: 'Refresh projects' }).click();
  return panel;
}

test('the whole story: share with a hub group, look, check out, push, pull, pick mine or theirs, clone, pages, lose access, admin, a server\'s token is HubShare\'s and no more', async ({ browser }, testInfo) => {
  const shot = (page: Page, name: string) => page.screenshot({ path: testInfo.outputPath(`${name}.png`) });

  // 1. alice publishes a folder with a notebook and a CSV from the file browser, and shares it with "analysts".
  const alice = await logIn(await browser.newContext(), 'alice');
  expect((await contents(alice, 'alice', 'PUT', 'study', { type: 'directory' })).ok()).toBe(true);
  expect((await contents(alice, 'alice', 'PUT', 'study/analysis.ipynb', { type: 'notebook', content: JSON.parse(notebook('x = 1')) })).ok()).toBe(true);
  expect((await contents(alice, 'alice', 'PUT', 'study/data.csv', { type: 'file', format: 'text', content: 'site,count\nA,3\n' })).ok()).toBe(true);
  const share = await publishAndShare(alice, 'study');
  await share.getByLabel('Share with a person or a team').selectOption('teams');
  await share.getByLabel('Team name').fill('analysts');
  await share.getByLabel('Access to give').selectOption('write');
  await share.getByRole('button', { name: 'Share', exact: true }).click();
  await expect(share.getByRole('row', { name: /Team analysts/ })).toBeVisible();
  await shot(alice, '1-alice-shared-with-analysts');
  await share.getByRole('button', { name: 'Done' }).click();

  // 2. bob, not in the group, does not see it; the hub admin adds him; now he does, and opens the notebook without pulling.
  const bob = await logIn(await browser.newContext(), 'bob');
  let panel = await projectsPanel(bob);
  await expect(panel.getByRole('status').first()).toContainText('Connected as bob');
  await expect(panel).not.toContainText('alice/study');
  await asHubAdmin(bob, 'POST', '/groups/analysts/users', { users: ['bob'] });
  panel = await projectsPanel(bob);
  await expect(panel.getByRole('region', { name: /Shared with me/ })).toContainText('alice/study');
  await panel.getByRole('button', { name: 'Browse alice/study without checking out' }).click();
  const shared = bob.locator('#jp-hubshare-shared-browser');
  await shared.locator('.jp-DirListing-item', { hasText: 'analysis.ipynb' }).dblclick();
  await expect(bob.locator('.jp-NotebookPanel').last().locator('.jp-RenderedHTMLCommon h1')).toContainText('Field study');
  await shot(bob, '2-bob-reads-without-pulling');
  // The hub group is a team in HubShare, read-only there: its members are the hub's.
  panel = await projectsPanel(alice);
  await panel.getByRole('button', { name: 'Manage teams', exact: true }).click();
  const teams = alice.locator('.jp-Dialog');
  await teams.getByRole('button', { name: /analysts.*2 members · from JupyterHub/ }).click();
  await expect(teams).toContainText('This team is a JupyterHub group: its members are managed in JupyterHub.');
  await expect(teams.getByRole('row', { name: /bob/ })).toBeVisible();
  await expect(teams.getByRole('button', { name: 'Leave analysts' })).toBeDisabled();
  await expect(teams.getByLabel('User name to add')).toHaveCount(0);
  await shot(alice, '2-alice-sees-the-hub-group-as-a-team');
  await teams.getByRole('button', { name: 'Done' }).click();

  // 3. bob checks out, edits the notebook, pushes; alice pulls and has his change.
  panel = await projectsPanel(bob);
  await panel.getByRole('button', { name: 'Check out alice/study' }).click();
  await bob.locator('.jp-Dialog').getByRole('button', { name: 'Check out', exact: true }).click();
  await expect(bob.getByText('Checked out alice/study into study.')).toBeVisible();
  expect((await contents(bob, 'bob', 'PUT', 'study/analysis.ipynb', { type: 'notebook', content: JSON.parse(notebook('x = 2  # bob')) })).ok()).toBe(true);
  panel = await projectsPanel(bob);
  await panel.getByRole('button', { name: 'Push study' }).click();
  await expect(bob.getByText('Pushed study.')).toBeVisible();
  await shot(bob, '3-bob-pushed');

  panel = await projectsPanel(alice);
  await panel.getByRole('button', { name: 'Pull study' }).click();
  await expect(alice.getByText('Pulled the latest changes into study.')).toBeVisible();
  const pulled = await (await contents(alice, 'alice', 'GET', 'study/analysis.ipynb')).json();
  expect(JSON.stringify(pulled.content)).toContain('x = 2  # bob');
  await shot(alice, '3-alice-pulled-bobs-change');

  // 4. Both change the same cell (and the same CSV line); bob pushes first, so alice is told to
  // pull; her pull stops at the two files, she keeps bob's notebook and her CSV, and pushes.
  const study = (name: string) => ({ type: 'notebook', content: JSON.parse(notebook(name)) });
  expect((await contents(bob, 'bob', 'PUT', 'study/analysis.ipynb', study('x = 3  # bob again'))).ok()).toBe(true);
  expect((await contents(bob, 'bob', 'PUT', 'study/data.csv', { type: 'file', format: 'text', content: 'site,count\nA,4\n' })).ok()).toBe(true);
  await expect(bob.getByText('Pushed study.')).toHaveCount(0); // the toast of step 3 has closed
  panel = await projectsPanel(bob);
  await panel.getByRole('button', { name: 'Push study' }).click();
  await expect(bob.getByText('Pushed study.')).toBeVisible();
  expect((await contents(alice, 'alice', 'PUT', 'study/analysis.ipynb', study('x = 30  # alice'))).ok()).toBe(true);
  expect((await contents(alice, 'alice', 'PUT', 'study/data.csv', { type: 'file', format: 'text', content: 'site,count\nA,30\n' })).ok()).toBe(true);
  panel = await projectsPanel(alice);
  await panel.getByRole('button', { name: 'Push study' }).click();
  await expect(alice.getByText('Someone pushed first: pull, then push.')).toBeVisible();
  await shot(alice, '4-alice-told-to-pull');
  await panel.getByRole('button', { name: 'Pull study' }).click();
  const picker = alice.getByRole('tabpanel', { name: 'Conflicts: study' });
  await expect(picker.getByRole('status')).toHaveText('0 of 2 files picked');
  const files = picker.getByRole('list', { name: 'Files to pick a version for' });
  await files.getByRole('button', { name: /^analysis\.ipynb/ }).click();
  // Only the cell both changed is shown, mine beside theirs.
  const cells = picker.getByRole('list', { name: 'Parts both sides changed in analysis.ipynb' });
  await expect(cells).toContainText('x = 30  # alice');
  await expect(cells).toContainText('x = 3  # bob again');
  await picker.getByRole('button', { name: 'Keep theirs', exact: true }).click();
  await files.getByRole('button', { name: /^data\.csv/ }).click();
  await expect(picker.getByRole('list', { name: 'Parts both sides changed in data.csv' })).toContainText('A,30');
  await picker.getByRole('button', { name: 'Keep mine', exact: true }).click();
  await expect(picker.getByRole('status')).toHaveText('2 of 2 files picked');
  await shot(alice, '4-alice-picks-theirs-and-mine');
  await picker.getByRole('button', { name: 'Finish' }).click();
  await expect(alice.getByText('Pulled study with the versions you picked.')).toBeVisible();
  panel = await projectsPanel(alice);
  await panel.getByRole('button', { name: 'Push study' }).click();
  await expect(alice.getByText('Pushed study.')).toBeVisible();

  panel = await projectsPanel(bob);
  await panel.getByRole('button', { name: 'Pull study' }).click();
  await expect(bob.getByText('Pulled the latest changes into study.')).toBeVisible();
  const merged = await (await contents(bob, 'bob', 'GET', 'study/analysis.ipynb')).json();
  expect(JSON.stringify(merged.content)).toContain('x = 3  # bob again');
  expect(JSON.stringify(merged.content)).not.toContain('alice');
  expect((await (await contents(bob, 'bob', 'GET', 'study/data.csv')).json()).content).toBe('site,count\nA,30\n');
  await shot(bob, '4-bob-pulled-both');

  // 5. alice clones a project from the internet, publishes it as her own, turns its pages on and opens them.
  const internet = await internetRepository();
  try {
    await runFromPalette(alice, 'Clone a project from a URL…', 'hubshare:clone-from-url');
    const clone = alice.locator('.jp-Dialog');
    await clone.getByLabel('Repository URL').fill(internet.url);
    await expect(clone.getByLabel('Into the folder')).toHaveValue('survey');
    await clone.getByRole('button', { name: 'Clone', exact: true }).click();
    await expect(alice.getByText('Cloned into survey.')).toBeVisible();
  } finally {
    await internet.close();
  }
  const pagesShare = await publishAndShare(alice, 'survey');
  await pagesShare.getByLabel('Web pages').selectOption('project');
  const [pages] = await Promise.all([alice.context().waitForEvent('page'), pagesShare.getByRole('link', { name: 'Open the web pages' }).click()]);
  await expect(pages.getByRole('heading', { name: 'Survey tools' })).toBeVisible();
  // Behind the hub's proxy: the user's server answered with a signed link to the rendered pages.
  expect(new URL(pages.url()).pathname).toMatch(/^\/user\/alice\/hubshare\/view\/[^/]+\/alice\/survey\/$/);
  await shot(pages, '5-alice-pages-readme');
  await pages.goto(new URL('report.ipynb', pages.url()).href);
  await expect(pages.getByRole('heading', { name: 'Survey report' })).toBeVisible();
  await expect(pages.getByText('42 sites')).toBeVisible();
  await shot(pages, '5-alice-pages-notebook');
  await pages.close();
  await pagesShare.getByRole('button', { name: 'Done' }).click();

  // 6. Out of the group, bob's next pull and browse are refused, in words.
  await asHubAdmin(alice, 'DELETE', '/groups/analysts/users', { users: ['bob'] });
  panel = await projectsPanel(bob);
  await panel.getByRole('button', { name: 'Pull study' }).click();
  await expect(bob.getByText('The project is gone, or you no longer have access to it.')).toBeVisible();
  await expect(panel).not.toContainText('alice/study');
  // His folder stays his, marked for what it is now.
  await expect(panel.locator('[data-path="study"] .jp-HubShare-badge')).toHaveText('No access');
  await expect(panel.getByRole('button', { name: 'Push study' })).toHaveCount(0);
  await shot(bob, '6-bob-pull-refused');
  // His Shared files browser still shows alice/study from step 2: refreshing it says why not.
  await bob.locator('.jp-SideBar [data-id="jp-hubshare-shared-browser"]').click();
  const sharedFiles = bob.locator('#jp-hubshare-shared-browser');
  await sharedFiles.getByRole('button', { name: 'Refresh: show the latest pushes' }).click();
  const refused = bob.locator('.jp-Dialog');
  await expect(refused).toContainText('This shared folder cannot be opened');
  await expect(refused).toContainText('There is no project alice/study, or you have no access to it.');
  await shot(bob, '6-bob-browse-refused');
  await refused.getByRole('button', { name: 'Close' }).click();
  await expect(sharedFiles.locator('.jp-DirListing-item')).toHaveCount(0);

  // The hub's admin is an admin of every project: alice's private ones show, and can be managed.
  const admin = await logIn(await browser.newContext(), 'admin');
  panel = await projectsPanel(admin);
  await expect(panel.getByRole('status').first()).toContainText('Connected as admin');
  const visible = panel.getByRole('region', { name: /Shared with me/ });
  await expect(visible).toContainText('alice/study');
  await expect(visible).toContainText('alice/survey');
  await panel.getByRole('button', { name: 'Share alice/survey' }).click();
  const adminShare = admin.locator('.jp-Dialog');
  await expect(adminShare.getByLabel('Web pages')).toBeEnabled();
  await expect(adminShare).toContainText('Not shared with anyone yet.');
  await shot(admin, '6-hub-admin-manages-everything');
  await adminShare.getByRole('button', { name: 'Done' }).click();

  // 7. Code in the hub admin's server (a notebook pulled from someone else) reads the server's
  // token, the one the agent presents: HubShare takes it, as the admin, and the hub gives it
  // nothing more — no list of users, no new token, no one else's server.
  const serverToken = serverTokenOf('admin');
  const withServerToken = (method: 'GET' | 'POST', path: string) =>
    admin.request.fetch(path, { method, headers: { Authorization: `token ${serverToken}` }, data: method === 'POST' ? {} : undefined });
  const asHubShare = await withServerToken('GET', '/services/hubshare/api/v1/user');
  expect(asHubShare.status()).toBe(200);
  expect(await asHubShare.json()).toMatchObject({ name: 'admin', admin: true });
  expect((await withServerToken('GET', '/hub/api/users')).status()).toBe(403);
  expect((await withServerToken('POST', '/hub/api/users/admin/tokens')).status()).toBe(403);
  expect((await withServerToken('POST', '/hub/api/users/alice/server')).status()).toBe(403);
  expect((await withServerToken('GET', '/user/alice/api/contents')).status()).not.toBe(200);
});

/** The hub token of `user`'s single-user server (the spawner's env, as code in that server reads it). */
function serverTokenOf(user: string): string {
  for (const pid of readdirSync('/proc').filter(name => /^\d+$/.test(name))) {
    let environ: string[];
    try {
      environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const token = environ.find(entry => entry.startsWith('JUPYTERHUB_API_TOKEN='));
    if (environ.includes(`JUPYTERHUB_USER=${user}`) && token) {
      return token.slice('JUPYTERHUB_API_TOKEN='.length);
    }
  }
  throw new Error(`no single-user server of ${user} is running`);
}
