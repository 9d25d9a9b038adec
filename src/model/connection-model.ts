import { Poll } from '@lumino/polling';
import { type ISignal, Signal } from '@lumino/signaling';
import { HubShareRequestError, requestAPI } from '../request';
import { type AgentStatus, type ConnectionState, connectionStateOf } from './agent-status';

/** Fetches the agent status; injected so the model can be tested without a server. */
export type StatusFetcher = () => Promise<AgentStatus>;

export const fetchAgentStatus: StatusFetcher = () => requestAPI<AgentStatus>('api/status');

/**
 * Keeps the connection state (agent reachable, service reachable, signed in) up to date by
 * polling the agent's status, and tells views when it changes.
 */
export class ConnectionModel {
  private _state: ConnectionState = { kind: 'checking' };
  private readonly _stateChanged = new Signal<this, ConnectionState>(this);
  private readonly poll: Poll;

  constructor(
    private readonly fetchStatus: StatusFetcher = fetchAgentStatus,
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
      next = connectionStateOf(await this.fetchStatus());
    } catch (error) {
      next = {
        kind: 'agent-unavailable',
        message: error instanceof HubShareRequestError ? error.message : String(error)
      };
    }
    this._state = next;
    this._stateChanged.emit(next);
  }
}
