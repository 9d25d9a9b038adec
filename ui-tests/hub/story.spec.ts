import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { rightClickFolder } from '../tests/lab';

// The story on a real JupyterHub, two people in two browsers: alice publishes and shares with
// the hub group "analysts"; bob, once the hub admin puts him in it, looks without pulling,
// checks out, pushes; alice pulls his change; taken out of the group, bob is refused.
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

async function projectsPanel(page: Page) {
  const panel = page.getByRole('region', { name: 'HubShare Projects' });
  if (!(await panel.isVisible())) {
    await page.getByRole('tab', { name: 'Projects' }).click();
  }
  await panel.getByRole('button', { name: 'Refresh projects' }).click();
  return panel;
}

test('alice shares with a hub group, bob joins it, looks, checks out and pushes; leaving it shuts him out', async ({ browser }, testInfo) => {
  const shot = (page: Page, name: string) => page.screenshot({ path: testInfo.outputPath(`${name}.png`) });

  // 1. alice publishes a folder with a notebook and a CSV from the file browser, and shares it with "analysts".
  const alice = await logIn(await browser.newContext(), 'alice');
  expect((await contents(alice, 'alice', 'PUT', 'study', { type: 'directory' })).ok()).toBe(true);
  expect((await contents(alice, 'alice', 'PUT', 'study/analysis.ipynb', { type: 'notebook', content: JSON.parse(notebook('x = 1')) })).ok()).toBe(true);
  expect((await contents(alice, 'alice', 'PUT', 'study/data.csv', { type: 'file', format: 'text', content: 'site,count\nA,3\n' })).ok()).toBe(true);
  await rightClickFolder(alice, 'study');
  await alice.getByRole('menuitem', { name: 'Publish as Project…' }).click();
  await alice.locator('.jp-Dialog').getByRole('button', { name: 'Publish' }).click();
  await expect(alice.getByText('Published alice/study.')).toBeVisible();
  await rightClickFolder(alice, 'study');
  await alice.getByRole('menuitem', { name: 'Share Project…' }).click();
  const share = alice.locator('.jp-Dialog');
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
  await expect(panel.getByRole('status')).toContainText('Connected as bob');
  await expect(panel).not.toContainText('alice/study');
  await asHubAdmin(bob, 'POST', '/groups/analysts/users', { users: ['bob'] });
  panel = await projectsPanel(bob);
  await expect(panel.getByRole('region', { name: /Shared with me/ })).toContainText('alice/study');
  await panel.getByRole('button', { name: 'Browse alice/study without checking out' }).click();
  const shared = bob.locator('#jp-hubshare-shared-browser');
  await shared.locator('.jp-DirListing-item', { hasText: 'analysis.ipynb' }).dblclick();
  await expect(bob.locator('.jp-NotebookPanel').last().locator('.jp-RenderedHTMLCommon h1')).toContainText('Field study');
  await shot(bob, '2-bob-reads-without-pulling');

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

  // 6. Out of the group, bob's next pull and browse are refused, in words.
  await asHubAdmin(alice, 'DELETE', '/groups/analysts/users', { users: ['bob'] });
  panel = await projectsPanel(bob);
  await panel.getByRole('button', { name: 'Pull study' }).click();
  await expect(bob.getByText('The project is gone, or you no longer have access to it.')).toBeVisible();
  await expect(panel).not.toContainText('alice/study');
  await shot(bob, '6-bob-refused');
});
