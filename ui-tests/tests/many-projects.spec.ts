import { expect, type Locator, type Page, test } from '@playwright/test';
import { resolve } from 'node:path';
import { MANY_PROJECTS_STACK } from '../many-projects-stack';
import { openLab, seriousViolations } from './lab';
import { SEEDED, seedManyProjects, sharedProjectAt } from './many-projects-seed';

// The Projects panel on a hub of thousands: dana's own stack (playwright.config.ts), whose service
// holds 20,000 projects she can read. The panel reads them by pages of 200.
test.use({ baseURL: MANY_PROJECTS_STACK.jupyterUrl });

const PAGE = 200;
const dataDir = resolve(__dirname, '..', MANY_PROJECTS_STACK.runDir, 'service-data');

const projectsPanel = (page: Page) => page.getByRole('region', { name: 'HubShare Projects' });
const sectionTitled = (panel: Locator, title: string) => panel.getByRole('region', { name: new RegExp(`^${title}`) });
const rowNamed = (scope: Locator, name: string) => scope.locator('.jp-HubShare-rowName', { hasText: new RegExp(`^${name}$`) });

async function showPanel(page: Page): Promise<Locator> {
  await openLab(page);
  await page.getByRole('tab', { name: 'Projects' }).click();
  const panel = projectsPanel(page);
  await expect(panel.getByRole('status').first()).toContainText(`Connected as ${MANY_PROJECTS_STACK.user}`);
  return panel;
}

/** Scrolls a section's list to its end, as a user dragging its scroll bar down would. */
async function scrollToEnd(list: Locator): Promise<void> {
  await list.evaluate(node => node.scrollTo({ top: node.scrollHeight }));
}

test.describe('the Projects panel on a hub of 20,000 projects', () => {
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    await seedManyProjects(dataDir, MANY_PROJECTS_STACK.user);
  });

  test('finds a project deep in the list through the filter, on the service', async ({ page }, testInfo) => {
    const panel = await showPanel(page);
    const shared = sectionTitled(panel, 'Shared with me');
    await expect(shared.getByRole('heading')).toHaveText(`Shared with me ${PAGE}+`);
    await expect(sectionTitled(panel, 'My projects').getByRole('heading')).toHaveText(`My projects ${PAGE}+`);
    await expect(rowNamed(shared, sharedProjectAt(0))).toBeVisible();

    // The needle is far beyond the first page: only the service can find it. Typed as a user
    // types, so the filter waits for the pause before it asks.
    const filter = panel.locator('.jp-FilterBox input');
    await filter.pressSequentially('needle', { delay: 40 });
    await expect(rowNamed(shared, SEEDED.needle)).toBeVisible();
    await expect(shared.getByRole('heading')).toHaveText('Shared with me 1');
    // What dana cannot read is not found, and her own projects have no needle.
    await expect(panel.getByText(SEEDED.hiddenNeedle)).toHaveCount(0);
    await expect(sectionTitled(panel, 'My projects')).toHaveCount(0);
    await page.screenshot({ path: testInfo.outputPath('many-projects-filter.png') });
    const serious = await seriousViolations(page, '#jp-hubshare-projects');
    expect(serious, JSON.stringify(serious, null, 2)).toEqual([]);

    // Cleared, the long lists are back as they were read.
    await filter.fill('');
    await expect(shared.getByRole('heading')).toHaveText(`Shared with me ${PAGE}+`);
    await expect(rowNamed(shared, sharedProjectAt(0))).toBeVisible();
  });

  test('reads further pages as a section is scrolled to its end', async ({ page }, testInfo) => {
    const panel = await showPanel(page);
    const shared = sectionTitled(panel, 'Shared with me');
    const list = shared.getByRole('group', { name: 'Shared with me' });
    await expect(shared.getByRole('heading')).toHaveText(`Shared with me ${PAGE}+`);
    await expect(list.getByRole('listitem').first()).toHaveAttribute('aria-setsize', String(PAGE));

    await scrollToEnd(list);
    await expect(shared.getByRole('heading')).toHaveText(`Shared with me ${2 * PAGE}+`);
    // The next page is held back a moment (the real answer, late), long enough to see it said.
    const nextPages = (url: URL) => url.pathname.endsWith('/hubshare/api/projects') && url.searchParams.has('cursor');
    await page.route(nextPages, async route => {
      await new Promise(resolve => setTimeout(resolve, 1_500));
      await route.continue();
    });
    await scrollToEnd(list);
    await expect(shared.getByRole('status')).toHaveText('Loading more projects…');
    await expect(shared).toHaveAttribute('aria-busy', 'true');
    await page.screenshot({ path: testInfo.outputPath('many-projects-loading.png') });
    await expect(shared.getByRole('heading')).toHaveText(`Shared with me ${3 * PAGE}+`);
    await expect(shared.getByRole('status')).toHaveText('');
    // The list may already be asking for the page after (its end is near again): let a request
    // held back by the route finish before the route goes, or its late `continue` throws.
    await page.unrouteAll({ behavior: 'wait' });
    // The rows of the second and third pages are there, in the service's order.
    for (const index of [PAGE + 50, 3 * PAGE - 5]) {
      await list.evaluate((node, top) => node.scrollTo({ top }), (index - 2) * 52);
      await expect(rowNamed(list, sharedProjectAt(index))).toBeVisible();
    }
    const row = list.getByRole('listitem').filter({ hasText: sharedProjectAt(3 * PAGE - 5) });
    await expect(row).toHaveAttribute('aria-posinset', String(3 * PAGE - 4));
  });
});
