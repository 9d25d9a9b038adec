import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { auth, openLab, rightClickFolder, runFromPalette, seriousViolations, waitForDialogFocus } from './lab';

// Publishing from the file browser, teams, sharing and checking out — all from JupyterLab's own
// menus, palette and dialogs.
const repo = resolve(__dirname, '..', '..');

async function expectAccessible(page: Page, selector: string): Promise<void> {
  const violations = await seriousViolations(page, selector);
  expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
}

test.describe('publishing, teams and sharing from JupyterLab', () => {
  test.beforeAll(async ({ request }) => {
    execFileSync('node', [join(repo, 'bin', 'hubshare-service.cjs'), 'user', 'add', 'bob', '--exist-ok', '--data-dir', join(repo, 'ui-tests', '.run', 'service-data')]);
    await request.put('/api/contents/fieldwork', { headers: auth, data: { type: 'directory' } });
    await request.put('/api/contents/fieldwork/notes.txt', { headers: auth, data: { type: 'file', format: 'text', content: 'day one\n' } });
  });

  test('publish a folder from its right-click menu, sharing it with a person', async ({ page }) => {
    await openLab(page);
    await rightClickFolder(page, 'fieldwork');
    await page.getByRole('menuitem', { name: 'Publish as Project…' }).click();
    const dialog = page.locator('.jp-Dialog');
    await waitForDialogFocus(dialog);
    await expect(dialog.getByLabel('Project name')).toBeFocused();
    await expect(dialog.getByLabel('Project name')).toHaveValue('fieldwork');
    await expect(dialog.getByLabel('Folder')).toHaveValue('fieldwork');
    await dialog.getByLabel('Share with (optional)').fill('bob');
    await expectAccessible(page, '.jp-Dialog');
    await dialog.getByRole('button', { name: 'Publish' }).click();
    await expect(page.getByText('Published alice/fieldwork and shared it with bob.')).toBeVisible();

    // Once it is a checkout, the menu offers Push, Pull and Share instead of Publish.
    await rightClickFolder(page, 'fieldwork');
    await expect(page.getByRole('menuitem', { name: 'Share Project…' })).toBeVisible();
    await expect(page.getByRole('menuitem', { name: 'Pull', exact: true })).toBeVisible();
    await expect(page.getByRole('menuitem', { name: 'Publish as Project…' })).toHaveCount(0);
    await page.getByRole('menuitem', { name: 'Push', exact: true }).click();
    await expect(page.getByText('Nothing to push in fieldwork: it has no changes.')).toBeVisible();
  });

  test('make a team, share the project with it, and change who has what', async ({ page, request }, testInfo) => {
    await openLab(page);
    await runFromPalette(page, 'Manage teams…', 'hubshare:manage-teams');
    const teams = page.locator('.jp-Dialog');
    await waitForDialogFocus(teams);
    await teams.getByLabel('New team name').fill('analysts');
    await teams.getByRole('button', { name: 'Create team' }).click();
    await expect(teams.getByRole('region', { name: 'Members of analysts' })).toContainText('alice');
    await teams.getByLabel('User name to add').fill('bob');
    await teams.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(teams.getByRole('region', { name: 'Members of analysts' })).toContainText('bob');
    await teams.getByLabel('User name to add').fill('nobody-here');
    await teams.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(teams.getByRole('alert')).toContainText('nobody-here');
    await expectAccessible(page, '.jp-Dialog');
    await page.screenshot({ path: testInfo.outputPath('teams-dialog.png') });
    await teams.getByRole('button', { name: 'Done' }).click();

    // The Projects panel lists the teams alice is in.
    await page.getByRole('tab', { name: 'Projects' }).click();
    const panel = page.getByRole('region', { name: 'HubShare Projects' });
    await panel.getByRole('button', { name: 'Refresh projects' }).click();
    await expect(panel.getByRole('region', { name: /Teams/ })).toContainText('analysts');
    await page.getByRole('tab', { name: 'File Browser' }).click();

    await rightClickFolder(page, 'fieldwork');
    await page.getByRole('menuitem', { name: 'Share Project…' }).click();
    const share = page.locator('.jp-Dialog');
    await waitForDialogFocus(share);
    await expect(share.getByRole('row', { name: /bob/ })).toBeVisible();
    await share.getByLabel('Share with a person or a team').selectOption('teams');
    await share.getByLabel('Team name').fill('analysts');
    await share.getByLabel('Access to give').selectOption('write');
    await share.getByRole('button', { name: 'Share', exact: true }).click();
    await expect(share.getByRole('row', { name: /Team analysts/ })).toBeVisible();
    await share.getByLabel('Access of bob').selectOption('admin');
    await share.getByLabel('Who can find and read it').selectOption('hub');
    await expect(share.getByLabel('Who can find and read it')).toHaveValue('hub');
    await expectAccessible(page, '.jp-Dialog');
    await page.screenshot({ path: testInfo.outputPath('share-dialog.png') });

    const grants = await (await request.get('/hubshare/api/projects/alice/fieldwork/grants', { headers: auth })).json();
    expect(grants).toMatchObject({ visibility: 'hub', users: [{ name: 'bob', level: 'admin' }], teams: [{ name: 'analysts', level: 'write' }] });

    await share.getByRole('button', { name: 'Remove bob' }).click();
    await expect(share.getByRole('row', { name: /^bob/ })).toHaveCount(0);
    await share.getByRole('button', { name: 'Done' }).click();
  });

  test('the share dialog in the dark theme', async ({ page }, testInfo) => {
    await openLab(page);
    await runFromPalette(page, 'JupyterLab Dark', 'apputils:change-theme');
    await expect(page.locator('body')).toHaveAttribute('data-jp-theme-light', 'false');
    await rightClickFolder(page, 'fieldwork');
    await page.getByRole('menuitem', { name: 'Share Project…' }).click();
    await expect(page.locator('.jp-Dialog').getByRole('row', { name: /Team analysts/ })).toBeVisible();
    await expectAccessible(page, '.jp-Dialog');
    await page.screenshot({ path: testInfo.outputPath('share-dialog-dark.png') });
    await page.locator('.jp-Dialog').getByRole('button', { name: 'Done' }).click();
    await runFromPalette(page, 'JupyterLab Light', 'apputils:change-theme');
    await expect(page.locator('body')).toHaveAttribute('data-jp-theme-light', 'true');
  });

  test('check out a project from its row in the panel, and the clone dialog', async ({ page, request }) => {
    await openLab(page);
    await page.getByRole('tab', { name: 'Projects' }).click();
    await page.getByRole('region', { name: 'HubShare Projects' }).getByRole('button', { name: 'Check out alice/fieldwork' }).click();
    const dialog = page.locator('.jp-Dialog');
    await waitForDialogFocus(dialog);
    await expect(dialog.getByLabel('Project')).toHaveValue('alice/fieldwork');
    await dialog.getByLabel('Into the folder').fill('fieldwork-copy');
    await expectAccessible(page, '.jp-Dialog');
    await dialog.getByRole('button', { name: 'Check out', exact: true }).click();
    await expect(page.getByText('Checked out alice/fieldwork into fieldwork-copy.')).toBeVisible();
    expect((await request.get('/api/contents/fieldwork-copy/notes.txt', { headers: auth })).ok()).toBe(true);

    await runFromPalette(page, 'Clone a project from a URL…', 'hubshare:clone-from-url');
    await waitForDialogFocus(dialog);
    await dialog.getByLabel('Repository URL').fill('https://example.org/org/survey-tools.git');
    await expect(dialog.getByLabel('Into the folder')).toHaveValue('survey-tools');
    await expectAccessible(page, '.jp-Dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });
});
