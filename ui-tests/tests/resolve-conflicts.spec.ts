import AxeBuilder from '@axe-core/playwright';
import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { auth, openLab, runFromPalette } from './lab';

// Runs after projects-panel.spec.ts (files run in name order): that one starts from an empty workspace.


const notebook = (source: string, intro = '# Results') => ({
  cells: [
    { cell_type: 'markdown', id: 'intro', metadata: {}, source: intro },
    { cell_type: 'code', id: 'compute', metadata: {}, execution_count: 1, source, outputs: [{ output_type: 'stream', name: 'stdout', text: `${source} ran\n` }] }
  ],
  metadata: {},
  nbformat: 4,
  nbformat_minor: 5
});

async function write(request: APIRequestContext, path: string, content: string, intro?: string): Promise<void> {
  const answer = path.endsWith('.ipynb')
    ? await request.put(`/api/contents/${path}`, { headers: auth, data: { type: 'notebook', format: 'json', content: notebook(content, intro) } })
    : await request.put(`/api/contents/${path}`, { headers: auth, data: { type: 'file', format: 'text', content } });
  expect(answer.ok(), await answer.text()).toBe(true);
}

async function read(request: APIRequestContext, path: string): Promise<string> {
  const answer = await request.get(`/api/contents/${path}?content=1&format=text&type=file`, { headers: auth });
  expect(answer.ok(), await answer.text()).toBe(true);
  return ((await answer.json()) as { content: string }).content;
}

async function agent(request: APIRequestContext, path: string, data: unknown): Promise<unknown> {
  const answer = await request.post(`/hubshare/api/checkouts/${path}`, { headers: auth, data });
  expect(answer.ok(), await answer.text()).toBe(true);
  return answer.json();
}

/** The same files changed in the copy (pushed) and in the original (not yet pulled). */
async function changeBothSides(request: APIRequestContext, round: string): Promise<void> {
  await write(request, 'paper-copy/notes.txt', `notes: theirs ${round}\n`);
  await write(request, 'paper-copy/results.csv', `x,y\n1,theirs ${round}\n`);
  await write(request, 'paper-copy/analysis.ipynb', `y = "theirs ${round}"`);
  expect(await agent(request, 'push', { path: 'paper-copy' })).toEqual({ pushed: true });
  await write(request, 'paper/notes.txt', `notes: mine ${round}\n`);
  await write(request, 'paper/results.csv', `x,y\n1,mine ${round}\n`);
  await write(request, 'paper/analysis.ipynb', `y = "mine ${round}"`);
}

// JupyterLab names a main-area widget's tab panel after its tab.
const picker = (page: Page) => page.getByRole('tabpanel', { name: 'Conflicts: paper' });

/** Shows the Projects panel (clicking its tab when it is already shown would hide it). */
async function showPanel(page: Page) {
  const panel = page.getByRole('region', { name: 'HubShare Projects' });
  if (!(await panel.isVisible())) {
    await page.getByRole('tab', { name: 'Projects' }).click();
  }
  await expect(panel).toBeVisible();
  return panel;
}

async function pullFromPanel(page: Page, waiting = 3): Promise<void> {
  const panel = await showPanel(page);
  await panel.getByRole('button', { name: 'Refresh projects' }).click();
  await panel.getByRole('button', { name: 'Pull paper', exact: true }).click();
  // The pull stops at the files both sides changed, and the picker opens by itself.
  await expect(picker(page)).toBeVisible();
  await expect(picker(page).getByRole('status')).toHaveText(`0 of ${waiting} files picked`);
}

async function expectAccessible(page: Page): Promise<void> {
  const accessibility = await new AxeBuilder({ page }).include('.jp-HubShare-pickerWidget').analyze();
  const serious = accessibility.violations.filter(v => v.impact === 'serious' || v.impact === 'critical');
  expect(serious, JSON.stringify(serious, null, 2)).toEqual([]);
}

test.describe('resolving a conflicting pull', () => {
  // The second test starts from what the first one left; a retry must not publish again.
  test.describe.configure({ mode: 'serial' });

  test.beforeAll(async ({ request }) => {
    await request.put('/api/contents/paper', { headers: auth, data: { type: 'directory' } });
    await write(request, 'paper/notes.txt', 'notes: first\n');
    await write(request, 'paper/results.csv', 'x,y\n1,first\n');
    await write(request, 'paper/analysis.ipynb', 'y = "first"');
    const published = await request.post('/hubshare/api/checkouts/publish', { headers: auth, data: { path: 'paper', name: 'paper' } });
    expect(published.status(), await published.text()).toBe(201);
    await agent(request, 'checkout', { project: 'alice/paper', path: 'paper-copy' });
  });

  test('keeps mine for one file and theirs for the others, then finishes the pull', async ({ page, request }, testInfo) => {
    await changeBothSides(request, 'one');
    await openLab(page);
    await pullFromPanel(page);
    const view = picker(page);
    const files = view.getByRole('list', { name: 'Files to pick a version for' });
    await expect(files.getByRole('button')).toHaveText([/analysis\.ipynb.*notebook/, /notes\.txt.*text/, /results\.csv.*text/]);

    // The notebook first: only the cell both changed, mine beside theirs.
    const parts = (file: string) => view.getByRole('list', { name: `Parts both sides changed in ${file}` });
    await expect(parts('analysis.ipynb')).toContainText('Cell compute');
    await expect(parts('analysis.ipynb')).toContainText('y = "mine one"');
    await expect(parts('analysis.ipynb')).toContainText('y = "theirs one"');
    await expect(parts('analysis.ipynb')).not.toContainText('# Results');
    // The whole notebooks stay a click away: cell by cell, outputs on request.
    await view.getByText('Whole files side by side').click();
    const cells = view.getByRole('list', { name: 'Cells, mine beside theirs' });
    await expect(cells).toContainText('y = "mine one"');
    await expect(cells).toContainText('y = "theirs one"');
    await expect(cells).not.toContainText('ran');
    await view.getByRole('checkbox', { name: 'Show outputs' }).check();
    await expect(cells).toContainText('y = "theirs one" ran');
    await view.getByRole('button', { name: 'Keep theirs', exact: true }).click();
    const finish = view.getByRole('button', { name: 'Finish' });
    await expect(finish).toBeDisabled();

    await files.getByRole('button', { name: /^notes\.txt/ }).click();
    await expect(parts('notes.txt')).toContainText('notes: mine one');
    await expect(parts('notes.txt')).toContainText('notes: theirs one');
    await expect(view.getByRole('table')).toContainText('notes: theirs one');
    await view.getByRole('button', { name: 'Keep mine', exact: true }).click();
    await expect(view.getByRole('button', { name: 'Keep mine', exact: true })).toHaveAttribute('aria-pressed', 'true');
    await expect(parts('notes.txt').getByRole('button', { name: 'Keep mine of Lines, part 1' })).toHaveAttribute('aria-pressed', 'true');

    // The last one from the keyboard.
    await files.getByRole('button', { name: /^results\.csv/ }).focus();
    await page.keyboard.press('Enter');
    await expect(parts('results.csv')).toContainText('1,theirs one');
    await view.getByRole('button', { name: 'Keep theirs', exact: true }).focus();
    await page.keyboard.press('Space');
    await expect(view.getByRole('status')).toHaveText('3 of 3 files picked');
    await expect(finish).toBeEnabled();
    await page.screenshot({ path: testInfo.outputPath('conflict-picker-light.png') });
    await expectAccessible(page);

    await finish.click();
    await expect(page.getByText('Pulled paper with the versions you picked.')).toBeVisible();
    await expect(picker(page)).toHaveCount(0);
    expect(await read(request, 'paper/notes.txt')).toBe('notes: mine one\n');
    expect(await read(request, 'paper/results.csv')).toBe('x,y\n1,theirs one\n');
    expect(await read(request, 'paper/analysis.ipynb')).toContain('y = \\"theirs one\\"');
    const status = (await (await request.get('/hubshare/api/checkouts/status?path=paper', { headers: auth })).json()) as { state: string };
    expect(status.state).toBe('ahead');
  });

  test('cancels a pull and gets back exactly what I had, in the dark theme', async ({ page, request }, testInfo) => {
    // Share the merge first, so that the copy's next change conflicts again.
    expect(await agent(request, 'push', { path: 'paper' })).toEqual({ pushed: true });
    expect(await agent(request, 'pull', { path: 'paper-copy' })).toEqual({ state: 'updated', merged: [] });
    await changeBothSides(request, 'two');
    await openLab(page);
    await runFromPalette(page, 'JupyterLab Dark', 'apputils:change-theme');
    await expect(page.locator('body')).toHaveAttribute('data-jp-theme-light', 'false');

    // The panel's filter box narrows its lists.
    const panel = await showPanel(page);
    await expect(panel.getByRole('search', { name: 'Filter projects and checkouts' })).toBeVisible();
    const filter = panel.locator('.jp-FilterBox input');
    await filter.fill('copy');
    await expect(panel.getByRole('button', { name: 'Pull paper-copy' })).toBeVisible();
    await expect(panel.getByRole('button', { name: 'Pull paper', exact: true })).toHaveCount(0);
    await filter.fill('');

    await pullFromPanel(page);
    const view = picker(page);
    await view.getByRole('button', { name: 'All mine' }).click();
    await expect(view.getByRole('status')).toHaveText('3 of 3 files picked');
    await view.getByRole('list', { name: 'Files to pick a version for' }).getByRole('button', { name: /^results\.csv/ }).click();
    await expect(view.getByRole('list', { name: 'Parts both sides changed in results.csv' })).toContainText('1,theirs two');
    await page.screenshot({ path: testInfo.outputPath('conflict-picker-dark.png') });
    await expectAccessible(page);

    // The palette command knows this checkout has conflicts.
    await page.keyboard.press('Control+Shift+C');
    const palette = page.locator('#command-palette');
    await palette.locator('input').fill('Resolve conflicts');
    await expect(palette.locator('.lm-CommandPalette-item[data-command="hubshare:resolve-conflicts"]')).not.toHaveClass(/lm-mod-disabled/);
    await page.keyboard.press('Escape');

    await view.getByRole('button', { name: 'Cancel pull' }).click();
    await expect(page.getByText('Cancelled the pull of paper: your files are as they were.')).toBeVisible();
    expect(await read(request, 'paper/notes.txt')).toBe('notes: mine two\n');
    expect(await read(request, 'paper/results.csv')).toBe('x,y\n1,mine two\n');
    expect(await read(request, 'paper/analysis.ipynb')).toContain('y = \\"mine two\\"');

    await runFromPalette(page, 'JupyterLab Light', 'apputils:change-theme');
    await expect(page.locator('body')).toHaveAttribute('data-jp-theme-light', 'true');
  });

  test('merges what does not collide by itself and asks only about the cell both changed', async ({ page, request }, testInfo) => {
    // Finish the pull the last test cancelled, and share it.
    expect(await agent(request, 'pull', { path: 'paper' })).toMatchObject({ state: 'conflicted' });
    expect(await agent(request, 'resolve', { path: 'paper', files: 'all', side: 'theirs' })).toEqual({ conflicts: [] });
    await agent(request, 'continue', { path: 'paper' });
    expect(await agent(request, 'push', { path: 'paper' })).toEqual({ pushed: true });
    expect(await agent(request, 'pull', { path: 'paper-copy' })).toEqual({ state: 'updated', merged: [] });
    await write(request, 'paper/notes.txt', 'line 1\nline 2\nline 3\nline 4\n');
    expect(await agent(request, 'push', { path: 'paper' })).toEqual({ pushed: true });
    expect(await agent(request, 'pull', { path: 'paper-copy' })).toEqual({ state: 'updated', merged: [] });

    // They change the introduction, the computation and line 1; I change the computation and line 4.
    await write(request, 'paper-copy/analysis.ipynb', 'y = "theirs three"', '# Results, revised');
    await write(request, 'paper-copy/notes.txt', 'line 1 (theirs)\nline 2\nline 3\nline 4\n');
    expect(await agent(request, 'push', { path: 'paper-copy' })).toEqual({ pushed: true });
    await write(request, 'paper/analysis.ipynb', 'y = "mine three"');
    await write(request, 'paper/notes.txt', 'line 1\nline 2\nline 3\nline 4 (mine)\n');

    await openLab(page);
    await pullFromPanel(page, 1);
    const view = picker(page);
    await expect(view.getByRole('list', { name: 'Files to pick a version for' }).getByRole('button')).toHaveText([/analysis\.ipynb/]);
    const parts = view.getByRole('list', { name: 'Parts both sides changed in analysis.ipynb' });
    await expect(parts.getByRole('listitem')).toHaveCount(1);
    await expect(parts).toContainText('y = "mine three"');
    await expect(parts).toContainText('y = "theirs three"');
    await expect(view.getByText('Both sides changed 1 part of this notebook; every other cell merged by itself.')).toBeVisible();
    await parts.getByRole('button', { name: 'Keep mine of Cell compute' }).click();
    await expect(view.getByRole('status')).toHaveText('1 of 1 files picked');
    await page.screenshot({ path: testInfo.outputPath('conflict-picker-cells.png') });
    await expectAccessible(page);

    await view.getByRole('button', { name: 'Finish' }).click();
    await expect(page.getByText('Pulled paper with the versions you picked.')).toBeVisible();
    // My computation, their introduction, and both lines of the notes.
    const merged = await read(request, 'paper/analysis.ipynb');
    expect(merged).toContain('y = \\"mine three\\"');
    expect(merged).toContain('# Results, revised');
    expect(await read(request, 'paper/notes.txt')).toBe('line 1 (theirs)\nline 2\nline 3\nline 4 (mine)\n');
  });
});
