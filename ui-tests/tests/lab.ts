import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';

/** What every spec needs from the stack start-stack.sh runs: alice's JupyterLab and her token. */
export const token = process.env.HUBSHARE_UI_JUPYTER_TOKEN ?? '';
export const auth = { Authorization: `token ${token}` };

/** Opens JupyterLab in its default layout (`?reset`), once HubShare's plugins are active. */
export async function openLab(page: Page): Promise<void> {
  await page.goto(`/lab?reset&token=${token}`);
  await expect(page.locator('#jp-main-dock-panel')).toBeVisible({ timeout: 60_000 });
  // Plugins finish activating after the shell appears: wait for ours, and for the launcher that
  // JupyterLab opens once its layout is restored.
  await expect(page.getByRole('tab', { name: 'Projects' })).toBeVisible();
  await expect(page.locator('.jp-Launcher')).toBeVisible();
}

/** Runs a command from the command palette, by its label and (to be exact) its command id. */
export async function runFromPalette(page: Page, label: string, commandId: string): Promise<void> {
  await page.keyboard.press('Control+Shift+C');
  const palette = page.locator('#command-palette');
  await expect(palette).toBeVisible();
  await palette.locator('input').fill(label);
  await palette.locator(`.lm-CommandPalette-item[data-command="${commandId}"]`, { hasText: label }).first().click();
}

/** axe-core's serious and critical findings inside `selector`. */
export async function seriousViolations(page: Page, selector: string) {
  return (await new AxeBuilder({ page }).include(selector).analyze()).violations.filter(v => v.impact === 'serious' || v.impact === 'critical');
}

/** Right-clicks a folder of the file browser by its exact name (opening the file browser first). */
export async function rightClickFolder(page: Page, name: string): Promise<void> {
  // The tab toggles the sidebar: click it only when the file browser is not showing.
  if (!(await page.locator('#filebrowser').isVisible())) {
    await page.getByRole('tab', { name: 'File Browser' }).click();
  }
  const item = page
    .locator('#filebrowser .jp-DirListing-item')
    .filter({ has: page.locator('.jp-DirListing-itemText', { hasText: new RegExp(`^${name}$`) }) });
  await expect(item).toBeVisible({ timeout: 30_000 });
  await item.click({ button: 'right' });
}

/**
 * Waits until a JupyterLab dialog has taken the focus. It moves the focus into itself (to the field
 * it names, else its default button) once its body has rendered, on the browser's next idle moment
 * — seconds after it shows, while JupyterLab is still starting — and text typed into another field
 * meanwhile can land in the one it focuses (a fill is a focus, then the text).
 */
export async function waitForDialogFocus(dialog: Locator): Promise<void> {
  await expect.poll(() => dialog.evaluate(node => node.contains(document.activeElement))).toBe(true);
}
