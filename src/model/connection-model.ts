import { Poll } from '@lumino/polling';
import { type ISignal, Signal } from '@lumino/signaling';
import { HubShareRequestError, requestAPI } from '../request';
import {
  type AgentStatus,
  type CheckoutSummary,
  type ConnectionState,
  connectionStateOf,
  emptyListing,
  type Listing,
  listingOf
} from './agent-status';
import { type CheckoutStatus, noAccessStatus } from './checkout-status';
import {
  FILTER_DELAY,
  PAGE_SIZE,
  type ProjectPage,
  type ProjectPageRequest,
  projectPageQuery,
  ProjectLists,
  type ProjectSection
} from './project-lists';

/** The agent calls the model makes; injected so the model can be tested without a server. */
export interface AgentApi {
  status(): Promise<AgentStatus>;
  /** One page of the projects the user can read. */
  projects(request: ProjectPageRequest): Promise<ProjectPage>;
  /** The checkouts on this server, without the network. */
  checkouts(): Promise<CheckoutSummary[]>;
  /** One checkout's full status; the agent fetches from the service first (unless it is conflicted). */
  checkoutStatus(path: string): Promise<CheckoutStatus>;
  /**
   * Every checkout's status in one request: the agent asks the service once where their projects
   * stand and fetches only those that moved. Each answers its status, or its error.
   */
  checkoutStatuses(): Promise<CheckoutStatusAnswer[]>;
}

/** One checkout's answer in `checkoutStatuses`. */
export interface CheckoutStatusAnswer {
  path: string;
  status?: CheckoutStatus;
  error?: { code: string; message: string };
}

export const agentApi: AgentApi = {
  status: () => requestAPI<AgentStatus>('api/status'),
  projects: request => requestAPI<ProjectPage>(`api/projects?${projectPageQuery(request)}`),
  checkouts: async () => (await requestAPI<{ checkouts: CheckoutSummary[] }>('api/checkouts')).checkouts,
  checkoutStatus: path => requestAPI<CheckoutStatus>(`api/checkouts/status?path=${encodeURIComponent(path)}`),
  checkoutStatuses: async () => (await requestAPI<{ statuses: CheckoutStatusAnswer[] }>('api/checkouts/statuses')).statuses
};

function messageOf(error: unknown): string {
  return error instanceof HubShareRequestError || error instanceof Error ? error.message : String(error);
}

/** How often the two kinds of refresh run, in seconds. */
export interface RefreshIntervals {
  /** Connection state and lists: cheap, no fetch from the service per checkout. */
  lists: number;
  /** Every checkout's full status: one request, a fetch only for checkouts whose project moved. */
  statuses: number;
}

/** How the project lists are read: rows per page, and the filter's pause before it asks the service (ms). */
export interface PagingOptions {
  pageSize: number;
  filterDelay: number;
}

/**
 * Keeps the connection state (agent reachable, service reachable, signed in) and, once
 * connected, the user's checkouts and projects up to date by polling the agent, and tells views
 * when they change. Two cadences: the lists often (no fetch per checkout; the projects' first
 * pages only, see `ProjectLists`), every checkout's full status (one request; a fetch only where
 * the project moved) more slowly, and one checkout's right after an operation on it. Further
 * pages of projects are read when the panel scrolls to them, and a long list's filter asks the
 * service.
 */
export class ConnectionModel {
  private _state: ConnectionState = { kind: 'checking' };
  private readonly _stateChanged = new Signal<this, ConnectionState>(this);
  private readonly poll: Poll;
  private readonly statusPoll: Poll;
  /** Checkouts an operation (push, pull, a pick…) is working on: background reads leave them alone. */
  private readonly operating = new Set<string>();
  /** Status reads under way, by checkout, so an operation can wait for the checkout's lock to be free. */
  private readonly reading = new Map<string, Promise<unknown>>();
  private readonly projectLists: ProjectLists;

  constructor(
    private readonly api: AgentApi = agentApi,
    intervals: RefreshIntervals = { lists: 30, statuses: 300 },
    paging: PagingOptions = { pageSize: PAGE_SIZE, filterDelay: FILTER_DELAY }
  ) {
    this.projectLists = new ProjectLists(request => this.api.projects(request), () => this.projectsChanged(), paging);
    this.poll = new Poll({
      auto: true,
      factory: () => this.refreshOnce(),
      frequency: { interval: intervals.lists * 1000, backoff: false },
      name: 'jupyterlab-hubshare:connection',
      standby: 'when-hidden'
    });
    this.statusPoll = new Poll({
      // The first statuses are read once the first listing is there (see refreshOnce).
      auto: false,
      factory: () => this.refreshStatuses(),
      frequency: { interval: intervals.statuses * 1000, backoff: false },
      name: 'jupyterlab-hubshare:checkout-status',
      standby: 'when-hidden'
    });
  }

  get state(): ConnectionState {
    return this._state;
  }

  get stateChanged(): ISignal<this, ConnectionState> {
    return this._stateChanged;
  }

  get isDisposed(): boolean {
    return this.poll.isDisposed;
  }

  /** The checkouts on this server, from the last listing (none when not connected). */
  get checkouts(): readonly CheckoutSummary[] {
    return this._state.kind === 'connected' ? this._state.listing.checkouts : [];
  }

  /** The last full status of a checkout, if one has been read. */
  statusOf(path: string): CheckoutStatus | undefined {
    return this._state.kind === 'connected' ? this._state.listing.statuses[path] : undefined;
  }

  /** Asks the agent again now (the panel's refresh button). */
  async refresh(): Promise<void> {
    await this.poll.refresh();
    await this.poll.tick;
  }

  /** Re-reads the lists and one checkout's full status: after an operation on it. */
  async refreshCheckout(path: string): Promise<void> {
    await this.refresh();
    await this.readStatuses([path]);
  }

  /**
   * Runs an operation on a checkout: waits for a background status read of it to end (the agent
   * allows one operation per checkout and would refuse the user's), keeps further reads away
   * until it ends, then re-reads the lists and the checkout's status.
   */
  async operate<T>(path: string, work: () => Promise<T>): Promise<T> {
    this.operating.add(path);
    try {
      await this.reading.get(path)?.catch(() => undefined);
      return await work();
    } finally {
      this.operating.delete(path);
      await this.refreshCheckout(path);
    }
  }

  /**
   * Reads the next page of a project section (of the filter's results in it, while they are
   * shown); tries a page that failed again.
   */
  async loadMoreProjects(section: ProjectSection): Promise<void> {
    await this.projectLists.loadMore(section);
  }

  /**
   * The panel's filter text. A section longer than what has been read is then searched on the
   * service once typing pauses; resolves once its results are read.
   */
  async filterProjects(query: string): Promise<void> {
    await this.projectLists.filter(query);
  }

  /** Changes how often the lists and the statuses are refreshed (from the settings). */
  setRefreshIntervals(intervals: RefreshIntervals): void {
    this.poll.frequency = { ...this.poll.frequency, interval: Math.max(5, intervals.lists) * 1000 };
    this.statusPoll.frequency = { ...this.statusPoll.frequency, interval: Math.max(30, intervals.statuses) * 1000 };
  }

  dispose(): void {
    this.poll.dispose();
    this.statusPoll.dispose();
    this.projectLists.dispose();
    Signal.clearData(this);
  }

  private emit(next: ConnectionState): void {
    this._state = next;
    this._stateChanged.emit(next);
  }

  private async refreshOnce(): Promise<void> {
    const previous = this._state.kind === 'connected' ? this._state.listing : emptyListing(null);
    let next: ConnectionState;
    try {
      const status = await this.api.status();
      next = connectionStateOf(status, status.service.user ? await this.listing(status.service.user.name, previous) : undefined);
    } catch (error) {
      next = { kind: 'agent-unavailable', message: messageOf(error) };
    }
    this.emit(next);
    if (next.kind !== 'connected') {
      return;
    }
    if (this.statusPoll.state.phase === 'constructed') {
      void this.statusPoll.start();
      return;
    }
    // A conflicted checkout's status costs no fetch, and its list of files matters (the conflict
    // picker, the file browser's menu): read it every time. Also re-read any status the listing
    // contradicts (a pull started or ended elsewhere, e.g. in a terminal).
    const { checkouts, statuses } = next.listing;
    const stale = checkouts.filter(c => c.conflicted || (statuses[c.path] !== undefined && (statuses[c.path].state === 'conflicted') !== c.conflicted));
    await this.readStatuses(stale.map(c => c.path));
  }

  /**
   * The checkouts, and the first page of each project list (what was read after it stays). What
   * cannot be read stays as it was, and the listing says why.
   */
  private async listing(userName: string, previous: Listing): Promise<Listing> {
    let problem: string | null = null;
    const [checkouts] = await Promise.all([
      this.api.checkouts().catch((error: unknown) => {
        problem = messageOf(error);
        return previous.checkouts;
      }),
      this.projectLists.refresh(userName).catch((error: unknown) => {
        problem ??= messageOf(error);
      })
    ]);
    return listingOf(checkouts, this.projectLists.listed, previous.statuses, problem);
  }

  /** A page of projects arrived, was asked for or failed: the views show it. */
  private projectsChanged(): void {
    if (this._state.kind === 'connected') {
      this.emit({ ...this._state, listing: { ...this._state.listing, ...this.projectLists.listed } });
    }
  }

  /**
   * Every checkout's full status, in one request (the agent fetches only the checkouts whose
   * project moved). Checkouts an operation is running on keep what that operation reads after.
   */
  private async refreshStatuses(): Promise<void> {
    // An operation started meanwhile waits for this read, as for a read of its checkout alone.
    const paths = this.checkouts.map(checkout => checkout.path).filter(path => !this.operating.has(path) && !this.reading.has(path));
    const reading = this.api.checkoutStatuses();
    paths.forEach(path => this.reading.set(path, reading));
    let answers: CheckoutStatusAnswer[];
    try {
      answers = await reading;
    } catch {
      // The badges stay as they were; the next round tries again.
      return;
    } finally {
      paths.forEach(path => this.reading.get(path) === reading && this.reading.delete(path));
    }
    for (const answer of answers) {
      if (!paths.includes(answer.path) || this.operating.has(answer.path)) {
        continue;
      }
      if (answer.status) {
        this.setStatus(answer.path, answer.status);
      } else if (answer.error?.code === 'no_such_project') {
        this.setStatus(answer.path, noAccessStatus(answer.path, this.statusOf(answer.path)));
      }
    }
  }

  private async readStatuses(paths: readonly string[]): Promise<void> {
    for (const path of paths) {
      if (this.operating.has(path)) {
        continue;
      }
      let status: CheckoutStatus;
      const reading = this.api.checkoutStatus(path);
      this.reading.set(path, reading);
      try {
        status = await reading;
      } catch (error) {
        if (!(error instanceof HubShareRequestError && error.code === 'no_such_project')) {
          // The badge stays as it was; the next round tries again, and operations report errors.
          continue;
        }
        status = noAccessStatus(path, this.statusOf(path));
      } finally {
        if (this.reading.get(path) === reading) {
          this.reading.delete(path);
        }
      }
      this.setStatus(path, status);
    }
  }

  /** Records a checkout's status (if the checkout is still listed) and tells the views. */
  private setStatus(path: string, status: CheckoutStatus): void {
    if (this._state.kind !== 'connected' || !this._state.listing.checkouts.some(c => c.path === path)) {
      return;
    }
    const { listing } = this._state;
    const checkouts = listing.checkouts.map(c => (c.path === path ? { ...c, conflicted: status.state === 'conflicted' } : c));
    this.emit({ ...this._state, listing: { ...listing, checkouts, statuses: { ...listing.statuses, [path]: status } } });
  }
}
