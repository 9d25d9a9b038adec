import { Poll } from '@lumino/polling';
import { type ISignal, Signal } from '@lumino/signaling';
import { HubShareRequestError, requestAPI } from '../request';
import {
  type AgentStatus,
  type CheckoutSummary,
  type ConnectionState,
  connectionStateOf,
  type Listing,
  listingOf,
  type ProjectSummary
} from './agent-status';

/** The agent calls the model makes; injected so the model can be tested without a server. */
export interface AgentApi {
  status(): Promise<AgentStatus>;
  projects(): Promise<ProjectSummary[]>;
  checkouts(): Promise<CheckoutSummary[]>;
}

export const agentApi: AgentApi = {
  status: () => requestAPI<AgentStatus>('api/status'),
  projects: async () => (await requestAPI<{ projects: ProjectSummary[] }>('api/projects?scope=all')).projects,
  checkouts: async () => (await requestAPI<{ checkouts: CheckoutSummary[] }>('api/checkouts')).checkouts
};

function messageOf(error: unknown): string {
  return error instanceof HubShareRequestError || error instanceof Error ? error.message : String(error);
}

/**
 * Keeps the connection state (agent reachable, service reachable, signed in) and, once
 * connected, the user's checkouts and projects up to date by polling the agent, and tells views
 * when they change.
 */
export class ConnectionModel {
  private _state: ConnectionState = { kind: 'checking' };
  private readonly _stateChanged = new Signal<this, ConnectionState>(this);
  private readonly poll: Poll;

  constructor(
    private readonly api: AgentApi = agentApi,
    refreshSeconds = 30
  ) {
    this.poll = new Poll({
      auto: true,
      factory: () => this.refreshOnce(),
      frequency: { interval: refreshSeconds * 1000, backoff: false },
      name: 'jupyterlab-hubshare:connection',
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

  /** Asks the agent again now (the panel's refresh button, and after every operation). */
  async refresh(): Promise<void> {
    await this.poll.refresh();
    await this.poll.tick;
  }

  /** Changes how often the status is refreshed (from the settings). */
  setRefreshInterval(seconds: number): void {
    this.poll.frequency = { ...this.poll.frequency, interval: Math.max(5, seconds) * 1000 };
  }

  dispose(): void {
    this.poll.dispose();
    Signal.clearData(this);
  }

  private async refreshOnce(): Promise<void> {
    let next: ConnectionState;
    try {
      const status = await this.api.status();
      next = connectionStateOf(status, status.service.user ? await this.listing(status.service.user.name) : undefined);
    } catch (error) {
      next = { kind: 'agent-unavailable', message: messageOf(error) };
    }
    this._state = next;
    this._stateChanged.emit(next);
  }

  private async listing(userName: string): Promise<Listing> {
    try {
      const [projects, checkouts] = await Promise.all([this.api.projects(), this.api.checkouts()]);
      return listingOf(userName, projects, checkouts);
    } catch (error) {
      return { checkouts: [], mine: [], sharedWithMe: [], problem: messageOf(error) };
    }
  }
}
