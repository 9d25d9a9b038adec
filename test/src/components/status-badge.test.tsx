// @vitest-environment happy-dom
import { nullTranslator } from '@jupyterlab/translation';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import * as React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProjectsView } from '../../../src/components/projects-panel';
import type { AgentStatus, ConnectionState } from '../../../src/model/agent-status';
import { listingOf } from '../../../src/model/agent-status';
import type { CheckoutStatus } from '../../../src/model/checkout-status';

vi.mock('@jupyterlab/ui-components', () => import('./ui-components-stub'));

const trans = nullTranslator.load('jupyterlab_hubshare');
const NO_PROJECTS = { mine: [], sharedWithMe: [] };
const agentStatus: AgentStatus = {
  version: '0.1.0',
  rootDir: '/home/alice',
  service: { url: 'http://127.0.0.1:8765', reachable: true, user: { name: 'alice', admin: false }, problem: null }
};

function status(root: string, state: CheckoutStatus['state'], lastChange: CheckoutStatus['lastChange'] = null): CheckoutStatus {
  return { root, project: `alice/${root}`, state, changed: [], behind: 0, ahead: 0, conflicts: [], lastChange };
}

function connected(): ConnectionState {
  const checkouts = ['clean', 'edited', 'behind', 'diverged', 'conflicted', 'new'].map(path => ({ path, source: 'project' as const, conflicted: path === 'conflicted' }));
  const statuses = {
    clean: status('clean', 'clean', { by: 'bob', at: new Date(Date.now() - 5 * 60_000).toISOString() }),
    edited: status('edited', 'local-changes'),
    behind: status('behind', 'behind'),
    diverged: status('diverged', 'diverged')
  };
  return { kind: 'connected', status: agentStatus, userName: 'alice', listing: listingOf(checkouts, NO_PROJECTS, statuses) };
}

const actions = { push: async () => undefined, pull: async () => undefined, resolve: async () => undefined, share: () => undefined, publish: () => undefined, openFolder: () => undefined, history: () => undefined };

afterEach(cleanup);

describe('status badges on checkout rows', () => {
  it('show what to do next for each checkout, and nothing before its status is known', () => {
    render(<ProjectsView state={connected()} trans={trans} onRefresh={() => undefined} actions={actions} />);
    const rows = screen.getAllByRole('listitem');
    const badges = rows.map(row => [row.getAttribute('data-path'), row.querySelector('.jp-HubShare-badge')?.textContent ?? null]);
    expect(badges).toEqual([
      ['clean', 'Up to date'],
      ['edited', 'My changes'],
      ['behind', 'Updates available'],
      ['diverged', 'My changes and updates'],
      ['conflicted', 'Conflicts'],
      ['new', null]
    ]);
  });

  it('say who changed the project last and when', () => {
    render(<ProjectsView state={connected()} trans={trans} onRefresh={() => undefined} actions={actions} />);
    expect(screen.getAllByRole('listitem')[0].textContent).toMatch(/Last change by bob, 5 minutes ago/);
  });

  it('offer Resolve instead of Pull and Push on a conflicted checkout', () => {
    render(<ProjectsView state={connected()} trans={trans} onRefresh={() => undefined} actions={actions} />);
    expect(screen.getByRole('button', { name: 'Resolve conflicts in conflicted' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Pull conflicted' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Pull behind' })).toBeTruthy();
  });

  it('say No access on a checkout whose project is gone, leaving Pull (to try again) and Open', () => {
    const state: ConnectionState = {
      kind: 'connected',
      status: agentStatus,
      userName: 'alice',
      listing: listingOf([{ path: 'study', source: 'project', conflicted: false }], NO_PROJECTS, { study: { ...status('study', 'clean'), state: 'no-access' } })
    };
    render(<ProjectsView state={state} trans={trans} onRefresh={() => undefined} actions={actions} />);
    expect(screen.getByText('No access').getAttribute('title')).toMatch(/no longer have access/);
    expect(screen.getByRole('button', { name: 'Pull study' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Open the folder study' })).toBeTruthy();
    for (const gone of ['Push study', 'Share study', 'Show the history of study']) {
      expect(screen.queryByRole('button', { name: gone })).toBeNull();
    }
  });

  it('offer Pull and Publish, not Push or Share, on a folder cloned from a URL', async () => {
    const published: string[] = [];
    const state: ConnectionState = {
      kind: 'connected',
      status: agentStatus,
      userName: 'alice',
      listing: listingOf([{ path: 'survey', source: 'url', conflicted: false }], NO_PROJECTS, {
        survey: { ...status('survey', 'clean'), project: 'https://example.org/org/survey.git' }
      })
    };
    render(<ProjectsView state={state} trans={trans} onRefresh={() => undefined} actions={{ ...actions, publish: path => published.push(path) }} />);
    expect(screen.getByRole('button', { name: 'Pull survey' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Push survey' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Share survey' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Show the history of survey' })).toBeNull();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Publish survey as a project' }));
    expect(published).toEqual(['survey']);
  });
});

describe('the filter over the lists', () => {
  it('keeps the rows whose name matches, with an accessible name, and says when nothing does', async () => {
    const user = userEvent.setup();
    render(<ProjectsView state={connected()} trans={trans} onRefresh={() => undefined} actions={actions} />);
    const filter = screen.getByRole('textbox', { name: 'Filter projects and checkouts' });
    await user.type(filter, 'di');
    expect(screen.getAllByRole('listitem').map(row => row.getAttribute('data-path'))).toEqual(['edited', 'diverged']);
    await user.type(filter, 'zzz');
    expect(screen.queryAllByRole('listitem')).toEqual([]);
    expect(screen.getByText('Nothing matches the filter.').getAttribute('role')).toBe('status');
  });
});
