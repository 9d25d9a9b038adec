// @vitest-environment happy-dom
import { nullTranslator } from '@jupyterlab/translation';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import * as React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectedProjectsView } from '../../../src/components/projects-panel';
import type { AgentStatus } from '../../../src/model/agent-status';
import { ConnectionModel } from '../../../src/model/connection-model';
import { PagedProjectsService, projectsOf } from '../model/paged-projects';

vi.mock('@jupyterlab/ui-components', () => import('./ui-components-stub'));

const trans = nullTranslator.load('jupyterlab_hubshare');
const ROW_HEIGHT = 52;
const actions = { push: async () => undefined, pull: async () => undefined, resolve: async () => undefined, share: () => undefined, publish: () => undefined, openFolder: () => undefined, history: () => undefined };
const agentStatus: AgentStatus = {
  version: '0.1.0',
  rootDir: '/home/alice',
  service: { url: 'http://127.0.0.1:8765', reachable: true, user: { name: 'alice', admin: false }, problem: null }
};

const models: ConnectionModel[] = [];
afterEach(() => {
  cleanup();
  models.splice(0).forEach(model => model.dispose());
});

/** The panel on a real model over `service`, alice's 3 projects and 450 of bob's: "Shared with me" is longer than a page of 200. */
async function panelOver(service = new PagedProjectsService([...projectsOf('alice', 3), ...projectsOf('bob', 450)])) {
  const model = new ConnectionModel(
    {
      status: async () => agentStatus,
      projects: service.read,
      checkouts: async () => [],
      checkoutStatus: async () => {
        throw new Error('no checkouts here');
      },
      checkoutStatuses: async () => []
    },
    { lists: 30, statuses: 300 },
    { pageSize: 200, filterDelay: 0 }
  );
  models.push(model);
  await model.refresh();
  service.takeRequests();
  render(<ConnectedProjectsView model={model} trans={trans} actions={actions} />);
  return { model, service };
}

const heading = (name: RegExp) => screen.getByRole('heading', { name });
const shared = () => screen.getByRole('group', { name: 'Shared with me' });
const rowNames = (container: HTMLElement) => within(container).getAllByRole('listitem').map(row => row.querySelector('.jp-HubShare-rowName')?.textContent);

/** Scrolls a section's list to its last rows. */
function scrollToEnd(list: HTMLElement): void {
  const rows = Number(list.querySelector('li')?.getAttribute('aria-setsize'));
  list.scrollTop = (rows - 10) * ROW_HEIGHT;
  fireEvent.scroll(list);
}

describe('the Projects panel with lists longer than a page', () => {
  it('counts a section with more to read as "200+", and reads the next page when scrolled near its end', async () => {
    const { service } = await panelOver();
    expect(heading(/Shared with me/).textContent).toBe('Shared with me 200+');
    expect(heading(/My projects/).textContent).toBe('My projects 3');

    let release: () => void = () => undefined;
    service.gate = new Promise<void>(resolve => (release = resolve));
    scrollToEnd(shared());
    expect(await screen.findByText('Loading more projects…')).toBeTruthy();
    expect(screen.getByRole('region', { name: /Shared with me/ }).getAttribute('aria-busy')).toBe('true');
    service.gate = null;
    await act(async () => release());

    expect(await screen.findByRole('heading', { name: 'Shared with me 400+' })).toBeTruthy();
    expect(service.takeRequests()).toEqual(['shared project-0199']);
    expect(screen.queryByText('Loading more projects…')).toBeNull();
    scrollToEnd(shared());
    expect(await screen.findByRole('heading', { name: 'Shared with me 450' })).toBeTruthy();
    scrollToEnd(shared());
    expect(rowNames(shared()).at(-1)).toBe('bob/project-0449');
  });

  it('keeps the rows read and says why when a page cannot be read; Try again reads it', async () => {
    const user = userEvent.setup();
    const { service } = await panelOver();
    service.failing = new Error('The HubShare service stopped answering.');
    scrollToEnd(shared());
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('More projects could not be loaded: The HubShare service stopped answering.');
    expect(heading(/Shared with me/).textContent).toBe('Shared with me 200+');
    expect(within(shared()).getAllByRole('listitem')[0].getAttribute('aria-setsize')).toBe('200');
    // Scrolling on does not ask again by itself: the failure waits for the user.
    scrollToEnd(shared());
    expect(service.takeRequests()).toEqual(['shared project-0199']);

    service.failing = null;
    await user.click(within(alert).getByRole('button', { name: 'Try loading Shared with me again' }));
    expect(await screen.findByRole('heading', { name: 'Shared with me 400+' })).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('filters a long section on the service, finding a project not read yet, and a whole one where it is', async () => {
    const user = userEvent.setup();
    const { service } = await panelOver();
    await user.type(screen.getByRole('textbox', { name: 'Filter projects and checkouts' }), 'project-0421');
    expect(await screen.findByRole('heading', { name: 'Shared with me 1' })).toBeTruthy();
    expect(rowNames(screen.getByRole('region', { name: /Shared with me/ }))).toEqual(['bob/project-0421']);
    // Searches of "Shared with me" only (this test has no pause before a search: one per key).
    const searches = service.takeRequests();
    expect(searches.every(line => line.startsWith('shared - '))).toBe(true);
    expect(searches.at(-1)).toBe('shared - project-0421');
    // My projects is read to its end: filtered in the panel (alice's own have no project-0421).
    expect(screen.queryByRole('heading', { name: /My projects/ })).toBeNull();

    await user.clear(screen.getByRole('textbox', { name: 'Filter projects and checkouts' }));
    expect(await screen.findByRole('heading', { name: 'Shared with me 200+' })).toBeTruthy();
    expect(heading(/My projects/).textContent).toBe('My projects 3');
  });

  it('says "Searching all projects…" while the service searches, and when nothing matches', async () => {
    const user = userEvent.setup();
    const { service } = await panelOver();
    let release: () => void = () => undefined;
    service.gate = new Promise<void>(resolve => (release = resolve));
    await user.type(screen.getByRole('textbox', { name: 'Filter projects and checkouts' }), 'zzz');
    expect(await screen.findByText('Searching all projects…')).toBeTruthy();
    expect(screen.queryByText('Nothing matches the filter.')).toBeNull();
    service.gate = null;
    await act(async () => release());
    expect(await screen.findByText('Nothing matches the filter.')).toBeTruthy();
    expect(screen.queryByText('Searching all projects…')).toBeNull();
  });

  it('says so when the search fails, and searches again on Try again', async () => {
    const user = userEvent.setup();
    const { service } = await panelOver();
    service.failing = new Error('The HubShare service stopped answering.');
    await user.type(screen.getByRole('textbox', { name: 'Filter projects and checkouts' }), '0300');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not search all projects: The HubShare service stopped answering.');
    service.failing = null;
    await user.click(within(alert).getByRole('button', { name: 'Try loading Shared with me again' }));
    expect(await screen.findByRole('heading', { name: 'Shared with me 1' })).toBeTruthy();
    expect(rowNames(screen.getByRole('region', { name: /Shared with me/ }))).toEqual(['bob/project-0300']);
  });
});
