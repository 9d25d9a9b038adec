import { describe, expect, it } from 'vitest';
import { type AgentStatus, connectionStateOf, hubShareProject, listingOf, shownListing } from '../../../src/model/agent-status';
import type { CheckoutStatus } from '../../../src/model/checkout-status';
import { type AgentApi, ConnectionModel } from '../../../src/model/connection-model';
import { HubShareRequestError } from '../../../src/request';
import { PagedProjectsService, project, projectsOf } from './paged-projects';

function status(service: Partial<AgentStatus['service']>): AgentStatus {
  return {
    version: '0.1.0',
    rootDir: '/home/alice',
    service: { url: 'http://127.0.0.1:8765', reachable: true, user: null, problem: null, ...service }
  };
}

describe('connectionStateOf', () => {
  it('is connected when the service knows the user', () => {
    expect(connectionStateOf(status({ user: { name: 'alice', admin: false } }))).toMatchObject({
      kind: 'connected',
      userName: 'alice'
    });
  });

  it('is signed out when the service answers but does not accept the token', () => {
    const problem = { code: 'invalid_token', message: 'The HubShare service did not accept this server’s token.' };
    expect(connectionStateOf(status({ problem }))).toMatchObject({ kind: 'signed-out', message: problem.message });
  });

  it('is unreachable when the service does not answer or is not configured', () => {
    const problem = { code: 'unreachable', message: 'cannot be reached' };
    expect(connectionStateOf(status({ reachable: false, problem }))).toMatchObject({ kind: 'service-unreachable' });
    expect(connectionStateOf(status({ url: null, reachable: false, problem }))).toMatchObject({ kind: 'service-unreachable' });
  });
});

const INTERVALS = { lists: 30, statuses: 300 };
/** Small pages, and the filter's pause left out: the model's paging is what these tests look at. */
const PAGING = { pageSize: 3, filterDelay: 0 };

/** An agent API answering with fixed values (the model under test is not about HTTP). */
function api(overrides: Partial<AgentApi>): AgentApi {
  const answers: AgentApi = {
    status: async () => status({ user: { name: 'alice', admin: false } }),
    projects: async () => ({ projects: [], next: null }),
    checkouts: async () => [],
    checkoutStatus: async path => checkoutStatus(path, 'clean'),
    // As the agent answers it: each listed checkout's status (here from checkoutStatus), or its error.
    checkoutStatuses: async () =>
      Promise.all(
        (await answers.checkouts()).map(async ({ path }) => {
          try {
            return { path, status: await answers.checkoutStatus(path) };
          } catch (error) {
            return { path, error: { code: error instanceof HubShareRequestError ? error.code : 'internal', message: String(error) } };
          }
        })
      ),
    ...overrides
  };
  return answers;
}

function checkoutStatus(root: string, state: CheckoutStatus['state']): CheckoutStatus {
  return { root, project: `alice/${root}`, state, changed: [], behind: 0, ahead: 0, conflicts: [], lastChange: null };
}

describe('listingOf', () => {
  it('holds the checkouts and both project lists, whole unless their progress says otherwise', () => {
    const listing = listingOf([{ path: 'a', source: 'project', conflicted: false }], { mine: [project('alice', 'a')], sharedWithMe: [project('bob', 'b')] });
    expect(listing.mine.map(p => p.name)).toEqual(['a']);
    expect(listing.sharedWithMe.map(p => p.name)).toEqual(['b']);
    expect(listing.progress.sharedWithMe).toMatchObject({ next: null, started: true, matching: null });
    expect(listing.checkouts).toEqual([{ path: 'a', source: 'project', conflicted: false }]);
  });

  it('keeps the statuses of checkouts still listed and drops the others', () => {
    const statuses = { a: checkoutStatus('a', 'behind'), gone: checkoutStatus('gone', 'clean') };
    expect(listingOf([{ path: 'a', source: 'project', conflicted: false }], { mine: [], sharedWithMe: [] }, statuses).statuses).toEqual({ a: statuses.a });
  });
});

describe('shownListing', () => {
  it('keeps checkouts by folder and projects by owner/name or description', () => {
    const described = { ...project('bob', 'climate'), description: 'Rainfall survey' };
    const listing = listingOf(
      [
        { path: 'work/survey', source: 'project', conflicted: false },
        { path: 'notes', source: 'project', conflicted: false }
      ],
      { mine: [project('alice', 'survey')], sharedWithMe: [project('bob', 'notes'), described] }
    );
    const shown = shownListing(listing, text => text.toLowerCase().includes('survey'));
    expect(shown.checkouts.map(c => c.path)).toEqual(['work/survey']);
    expect(shown.mine.projects.map(p => p.name)).toEqual(['survey']);
    expect(shown.sharedWithMe.projects.map(p => p.name)).toEqual(['climate']);
    expect(shownListing(listing, null).sharedWithMe.projects).toHaveLength(2);
  });
});

describe('ConnectionModel', () => {
  it('starts checking, then emits the state of the first status answer, with the lists', async () => {
    const model = new ConnectionModel(
      api({
        status: async () => status({ user: { name: 'alice', admin: true } }),
        projects: new PagedProjectsService([project('alice', 'mine'), project('bob', 'theirs')]).read
      }),
      INTERVALS
    );
    expect(model.state.kind).toBe('checking');
    const next = await new Promise(resolve => model.stateChanged.connect((_, state) => resolve(state)));
    expect(next).toMatchObject({ kind: 'connected', userName: 'alice' });
    expect(model.state.kind === 'connected' && model.state.listing.sharedWithMe.map(p => p.name)).toEqual(['theirs']);
    model.dispose();
  });

  it('stays connected and says so when the lists cannot be read, keeping what was read', async () => {
    const service = new PagedProjectsService([project('alice', 'survey'), project('bob', 'notes')]);
    const model = new ConnectionModel(api({ projects: service.read }), INTERVALS, PAGING);
    await model.refresh();
    service.failing = new HubShareRequestError(503, 'unreachable', 'The HubShare service stopped answering.');
    await model.refresh();
    expect(model.state).toMatchObject({ kind: 'connected', listing: { problem: 'The HubShare service stopped answering.' } });
    expect(model.state.kind === 'connected' && model.state.listing.sharedWithMe.map(p => p.name)).toEqual(['notes']);
    service.failing = null;
    await model.refresh();
    expect(model.state).toMatchObject({ kind: 'connected', listing: { problem: null } });
    model.dispose();
  });

  it('reads each project section by pages: the first on every round, further ones when the panel asks', async () => {
    const service = new PagedProjectsService([...projectsOf('alice', 2), ...projectsOf('bob', 8)]);
    const model = new ConnectionModel(api({ projects: service.read }), INTERVALS, PAGING);
    const shared = () => (model.state.kind === 'connected' ? model.state.listing.sharedWithMe.map(p => p.name) : []);
    await model.refresh();
    expect(service.takeRequests().sort()).toEqual(['mine -', 'shared -']);
    expect(shared()).toEqual(['project-0000', 'project-0001', 'project-0002']);

    const emitted: number[] = [];
    model.stateChanged.connect((_, state) => emitted.push(state.kind === 'connected' ? state.listing.sharedWithMe.length : -1));
    await model.loadMoreProjects('sharedWithMe');
    await model.loadMoreProjects('sharedWithMe');
    expect(shared()).toHaveLength(8);
    expect(emitted).toEqual([3, 6, 6, 8]); // asked for (loading), arrived; twice
    service.takeRequests();

    // A round of the lists' cadence reads the two first pages, not the pages read since.
    await model.refresh();
    expect(service.takeRequests().sort()).toEqual(['mine -', 'shared -']);
    expect(shared()).toHaveLength(8);
    model.dispose();
  });

  it('searches a long section on the service for the filter, and says when a page of it fails', async () => {
    const service = new PagedProjectsService(projectsOf('bob', 10));
    const model = new ConnectionModel(api({ projects: service.read }), INTERVALS, PAGING);
    await model.refresh();
    service.takeRequests();
    await model.filterProjects('project-000');
    expect(service.takeRequests()).toEqual(['shared - project-000']);
    const progress = () => (model.state.kind === 'connected' ? model.state.listing.progress.sharedWithMe : null);
    expect(progress()?.matching?.projects.map(p => p.name)).toEqual(['project-0000', 'project-0001', 'project-0002']);

    service.failing = new Error('The HubShare service stopped answering.');
    await model.loadMoreProjects('sharedWithMe');
    expect(progress()?.matching).toMatchObject({ problem: 'The HubShare service stopped answering.', loading: false });
    expect(progress()?.matching?.projects).toHaveLength(3);
    model.dispose();
  });

  it('reports the agent as unavailable, with the server’s words, when the status request fails', async () => {
    const model = new ConnectionModel(
      api({
        status: async () => {
          throw new HubShareRequestError(503, 'node_missing', 'HubShare needs Node.js.');
        }
      }),
      INTERVALS
    );
    await model.refresh();
    expect(model.state).toEqual({ kind: 'agent-unavailable', message: 'HubShare needs Node.js.' });
    model.dispose();
  });

  it('asks again on refresh', async () => {
    let calls = 0;
    const model = new ConnectionModel(
      api({
        status: async () => {
          calls += 1;
          return status({ user: { name: `user${calls}`, admin: false } });
        }
      }),
      INTERVALS
    );
    await model.refresh();
    await model.refresh();
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(model.state).toMatchObject({ kind: 'connected', userName: `user${calls}` });
    model.dispose();
  });

  it('reads the lists without a full status per checkout; reads the statuses on their own, slower round', async () => {
    const asked: string[] = [];
    const model = new ConnectionModel(
      api({
        checkouts: async () => [
          { path: 'a', source: 'project', conflicted: false },
          { path: 'b', source: 'project', conflicted: false }
        ],
        checkoutStatus: async path => {
          asked.push(path);
          return checkoutStatus(path, path === 'a' ? 'behind' : 'clean');
        }
      }),
      INTERVALS
    );
    await model.refresh();
    // The status round starts after the first listing; let it run.
    await new Promise(resolve => setTimeout(resolve, 20));
    expect(asked.sort()).toEqual(['a', 'b']);
    expect(model.statusOf('a')?.state).toBe('behind');

    asked.length = 0;
    await model.refresh();
    await model.refresh();
    expect(asked).toEqual([]);
    model.dispose();
  });

  it('reads one checkout’s status after an operation on it, and conflicted ones on every refresh', async () => {
    const asked: string[] = [];
    let conflicted = false;
    const model = new ConnectionModel(
      api({
        checkouts: async () => [
          { path: 'a', source: 'project', conflicted },
          { path: 'b', source: 'project', conflicted: false }
        ],
        checkoutStatus: async path => {
          asked.push(path);
          return checkoutStatus(path, path === 'a' && conflicted ? 'conflicted' : 'clean');
        }
      }),
      INTERVALS
    );
    await model.refresh();
    await new Promise(resolve => setTimeout(resolve, 20));
    asked.length = 0;

    await model.refreshCheckout('b');
    expect(asked).toEqual(['b']);

    asked.length = 0;
    conflicted = true;
    await model.refresh();
    expect(asked).toEqual(['a']);
    expect(model.statusOf('a')?.state).toBe('conflicted');
    model.dispose();
  });

  it('marks a checkout whose project is gone or unshared as no-access, keeps it on other errors, and clears it when access is back', async () => {
    let answer: 'ok' | 'gone' | 'down' = 'ok';
    const model = new ConnectionModel(
      api({
        checkouts: async () => [{ path: 'a', source: 'project', conflicted: false }],
        checkoutStatus: async path => {
          if (answer === 'gone') {
            throw new HubShareRequestError(404, 'no_such_project', 'The project is gone, or you no longer have access to it.');
          }
          if (answer === 'down') {
            throw new HubShareRequestError(502, 'service_unreachable', 'The HubShare service does not answer.');
          }
          return { ...checkoutStatus(path, 'clean'), lastChange: { by: 'bob', at: '2026-01-01T00:00:00Z' } };
        }
      }),
      INTERVALS
    );
    await model.refresh();
    await model.refreshCheckout('a');
    answer = 'gone';
    await model.refreshCheckout('a');
    expect(model.statusOf('a')).toMatchObject({ state: 'no-access', project: 'alice/a', lastChange: { by: 'bob' } });
    answer = 'down';
    await model.refreshCheckout('a');
    expect(model.statusOf('a')?.state).toBe('no-access');
    answer = 'ok';
    await model.refreshCheckout('a');
    expect(model.statusOf('a')?.state).toBe('clean');
    model.dispose();
  });
});

describe('ConnectionModel.operate', () => {
  it('waits for a status read of the same checkout, and keeps further reads away until it ends', async () => {
    const events: string[] = [];
    let finishRead: () => void = () => undefined;
    const model = new ConnectionModel(
      api({
        checkouts: async () => [{ path: 'a', source: 'project', conflicted: true }],
        checkoutStatus: async path => {
          events.push('read starts');
          if (!events.includes('operation')) {
            await new Promise<void>(resolve => (finishRead = resolve));
          }
          events.push('read ends');
          return checkoutStatus(path, 'conflicted');
        }
      }),
      INTERVALS
    );
    const refreshing = model.refresh();
    await new Promise(resolve => setTimeout(resolve, 10));
    expect(events).toEqual(['read starts']);
    const operation = model.operate('a', async () => {
      events.push('operation');
      await model.refresh();
      return 'done';
    });
    await new Promise(resolve => setTimeout(resolve, 10));
    expect(events).toEqual(['read starts']);
    finishRead();
    await refreshing;
    // The refresh inside the operation read no status: the operation holds the checkout.
    await new Promise(resolve => setTimeout(resolve, 10));
    expect(await operation).toBe('done');
    // Then the lists and that checkout's status are read again.
    expect(events.slice(0, 3)).toEqual(['read starts', 'read ends', 'operation']);
    expect(events.slice(3)).toContain('read starts');
    model.dispose();
  });
});

describe('hubShareProject', () => {
  it('names a project as owner/name, and nothing for a clone URL or anything else', () => {
    expect(hubShareProject('alice/study')).toBe('alice/study');
    expect(hubShareProject('https://example.org/org/repo.git')).toBeNull();
    expect(hubShareProject('alice')).toBeNull();
    expect(hubShareProject(undefined)).toBeNull();
  });

  it('reads every checkout\'s status in one request a round, and marks a checkout whose project is gone', async () => {
    let rounds = 0;
    const single: string[] = [];
    const model = new ConnectionModel(
      api({
        checkouts: async () => [
          { path: 'a', source: 'project', conflicted: false },
          { path: 'gone', source: 'project', conflicted: false }
        ],
        checkoutStatus: async path => {
          single.push(path);
          return checkoutStatus(path, 'clean');
        },
        checkoutStatuses: async () => {
          rounds += 1;
          return [
            { path: 'a', status: checkoutStatus('a', 'behind') },
            { path: 'gone', error: { code: 'no_such_project', message: 'The project is gone.' } }
          ];
        }
      }),
      INTERVALS
    );
    await model.refresh();
    await new Promise(resolve => setTimeout(resolve, 20));
    expect(rounds).toBe(1);
    expect(single).toEqual([]);
    expect(model.statusOf('a')?.state).toBe('behind');
    expect(model.statusOf('gone')?.state).toBe('no-access');
    model.dispose();
  });
});
