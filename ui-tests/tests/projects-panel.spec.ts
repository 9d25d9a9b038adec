import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { auth, openLab, runFromPalette } from './lab';


const projectsPanel = (page: Page) => page.getByRole('region', { name: 'HubShare Projects' });

test.describe('the Projects panel', () => {
  test('opens from its sidebar tab and shows the connected state and the empty state', async ({ page }, testInfo) => {
    await openLab(page);
    await page.getByRole('tab', { name: 'Projects' }).click();
    const panel = projectsPanel(page);
    await expect(panel).toBeVisible();
    await expect(panel.getByRole('status')).toContainText('Connected as alice');
    await expect(panel.getByRole('status')).toContainText('http://127.0.0.1:');
    await expect(panel).toContainText('Nothing shared yet');
    await page.screenshot({ path: testInfo.outputPath('projects-panel.png') });

    const accessibility = await new AxeBuilder({ page }).include('#jp-hubshare-projects').analyze();
    const serious = accessibility.violations.filter(v => v.impact === 'serious' || v.impact === 'critical');
    expect(serious, JSON.stringify(serious, null, 2)).toEqual([]);
  });

  test('opens from the command palette, under the HubShare category', async ({ page }) => {
    await openLab(page);
    await page.getByRole('tab', { name: 'File Browser' }).click();
    await expect(projectsPanel(page)).toBeHidden();

    await page.keyboard.press('Control+Shift+C');
    const palette = page.locator('#command-palette');
    await expect(palette).toBeVisible();
    await palette.locator('input').fill('Open Projects panel');
    const item = palette.locator('.lm-CommandPalette-item[data-command="hubshare:open-panel"]');
    await expect(item).toContainText('Open Projects panel');
    // Lumino lists results under their category's header (styled hidden while searching).
    await expect(palette.locator('.lm-CommandPalette-header', { hasText: 'HubShare' })).toHaveCount(1);
    await item.click();

    await expect(projectsPanel(page)).toBeVisible();
    await expect(projectsPanel(page).getByRole('status')).toContainText('Connected as alice');
  });

  test('refreshes on demand with the keyboard', async ({ page }) => {
    await openLab(page);
    await page.getByRole('tab', { name: 'Projects' }).click();
    const refresh = projectsPanel(page).getByRole('button', { name: 'Refresh projects' });
    await refresh.focus();
    await page.keyboard.press('Enter');
    await expect(projectsPanel(page).getByRole('status')).toContainText('Connected as alice');
  });

  test('follows the dark theme and stays accessible there', async ({ page }, testInfo) => {
    await openLab(page);
    await runFromPalette(page, 'JupyterLab Dark', 'apputils:change-theme');
    await expect(page.locator('body')).toHaveAttribute('data-jp-theme-light', 'false');
    await page.getByRole('tab', { name: 'Projects' }).click();
    const panel = projectsPanel(page);
    await expect(panel.getByRole('status')).toContainText('Connected as alice');
    const background = await panel.evaluate(node => getComputedStyle(node).backgroundColor);
    expect(background).not.toBe('rgb(255, 255, 255)');
    await page.screenshot({ path: testInfo.outputPath('projects-panel-dark.png') });

    const accessibility = await new AxeBuilder({ page }).include('#jp-hubshare-projects').analyze();
    const serious = accessibility.violations.filter(v => v.impact === 'serious' || v.impact === 'critical');
    expect(serious, JSON.stringify(serious, null, 2)).toEqual([]);

    // Leave the light theme behind for the other tests (the setting persists per workspace run).
    await runFromPalette(page, 'JupyterLab Light', 'apputils:change-theme');
    await expect(page.locator('body')).toHaveAttribute('data-jp-theme-light', 'true');
  });

  test('lists a published folder under "My projects" and "On this server"', async ({ page, request }, testInfo) => {
        // A folder with a notebook, created and published through Jupyter's own API and the agent.
    expect((await request.put('/api/contents/survey', { headers: auth, data: { type: 'directory' } })).ok()).toBe(true);
    const file = await request.put('/api/contents/survey/answers.csv', {
      headers: auth,
      data: { type: 'file', format: 'text', content: 'q,a\n1,yes\n' }
    });
    expect(file.ok()).toBe(true);
    const published = await request.post('/hubshare/api/checkouts/publish', { headers: auth, data: { path: 'survey', name: 'survey' } });
    expect(published.status()).toBe(201);

    await openLab(page);
    await page.getByRole('tab', { name: 'Projects' }).click();
    const panel = projectsPanel(page);
    await panel.getByRole('button', { name: 'Refresh projects' }).click();
    const mine = panel.getByRole('region', { name: /My projects/ });
    await expect(mine.getByRole('listitem')).toContainText(['alice/survey']);
    await expect(panel.getByRole('region', { name: /On this server/ }).getByRole('listitem')).toContainText(['survey']);
    await expect(panel).not.toContainText('Nothing shared yet');
    await page.screenshot({ path: testInfo.outputPath('projects-panel-listing.png') });

    // Push and Pull from the row, with the outcome in JupyterLab's notifications.
    await panel.getByRole('button', { name: 'Push survey' }).click();
    await expect(page.getByText('Nothing to push in survey: it has no changes.')).toBeVisible();
    const edit = await request.put('/api/contents/survey/answers.csv', {
      headers: auth,
      data: { type: 'file', format: 'text', content: 'q,a\n1,yes\n2,no\n' }
    });
    expect(edit.ok()).toBe(true);
    await panel.getByRole('button', { name: 'Push survey' }).click();
    await expect(page.getByText('Pushed survey.')).toBeVisible();
    await panel.getByRole('button', { name: 'Pull survey' }).click();
    await expect(page.getByText('survey is already up to date.')).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('projects-panel-pushed.png') });

    const accessibility = await new AxeBuilder({ page }).include('#jp-hubshare-projects').analyze();
    const serious = accessibility.violations.filter(v => v.impact === 'serious' || v.impact === 'critical');
    expect(serious, JSON.stringify(serious, null, 2)).toEqual([]);
  });
});
