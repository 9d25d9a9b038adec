import { HubShareError, ServiceUnavailable } from '../shared/errors';

/** What the agent knows about the HubShare service it talks to, as shown in the Projects panel. */
export interface ServiceStatus {
  /** The service's base URL, without credentials; null when none is configured. */
  url: string | null;
  reachable: boolean;
  /** The signed-in user and the teams they are in, when the service accepted the token. */
  user: { name: string; admin: boolean; teams: string[] } | null;
  /** Why the agent is not fully connected, in words for the user; null when it is. */
  problem: { code: string; message: string } | null;
}

const TIMEOUT_MS = 5000;

/**
 * The agent's client for the HubShare service. The token travels in the Authorization header of
 * each request and is never logged, echoed or written anywhere.
 */
/** How long the agent keeps the signed-in user's name before asking the service again. */
const USER_NAME_TTL_MS = 5 * 60_000;

export class ServiceClient {
  private readonly baseUrl: string | null;
  /** Who the token signs in as, and when the service last said so. */
  private signedIn: { name: string; at: number } | undefined;

  constructor(
    baseUrl: string | undefined,
    private readonly token: string | undefined
  ) {
    this.baseUrl = baseUrl ? baseUrl.replace(/\/+$/, '') : null;
  }

  /**
   * The service and the signed-in user, for an operation that needs them.
   * @throws Unauthorized when no service or token is configured or the token is refused.
   */
  async target(): Promise<{ url: string; token: string; userName: string }> {
    if (!this.baseUrl || !this.token) {
      throw new HubShareError(401, 'not_signed_in', 'HubShare is not connected: this server has no service URL or token.');
    }
    // A token's user does not change: the name (for commits) is asked once in a while, not before
    // every operation. A token revoked meanwhile is refused by the operation's own requests.
    if (!this.signedIn || Date.now() - this.signedIn.at > USER_NAME_TTL_MS) {
      const me = await callService<{ name: string }>({ url: this.baseUrl, token: this.token }, 'GET', '/user');
      this.signedIn = { name: me.name, at: Date.now() };
    }
    return { url: this.baseUrl, token: this.token, userName: this.signedIn.name };
  }

  /**
   * Where the service is and the token to use, without asking it anything.
   * @throws HubShareError (401) when no service or token is configured.
   */
  connection(): { url: string; token: string } {
    if (!this.baseUrl || !this.token) {
      throw new HubShareError(401, 'not_signed_in', 'HubShare is not connected: this server has no service URL or token.');
    }
    return { url: this.baseUrl, token: this.token };
  }

  /** Checks that the service answers and that it knows who we are. Never throws. */
  async status(): Promise<ServiceStatus> {
    if (!this.baseUrl) {
      return {
        url: null,
        reachable: false,
        user: null,
        problem: {
          code: 'not_configured',
          message: 'No HubShare service is configured: set HUBSHARE_URL for this Jupyter server (npm start does it for you).'
        }
      };
    }
    const url = this.baseUrl;
    try {
      const health = await fetch(`${url}/health`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
      if (!health.ok) {
        return { url, reachable: false, user: null, problem: { code: 'unhealthy', message: `The HubShare service at ${url} answered ${health.status}.` } };
      }
    } catch {
      return {
        url,
        reachable: false,
        user: null,
        problem: { code: 'unreachable', message: `The HubShare service at ${url} cannot be reached. Is it running?` }
      };
    }
    if (!this.token) {
      return {
        url,
        reachable: true,
        user: null,
        problem: { code: 'no_token', message: 'This Jupyter server has no HubShare token: set HUBSHARE_TOKEN (or run under JupyterHub).' }
      };
    }
    try {
      const response = await fetch(`${url}/api/v1/user`, {
        headers: { Authorization: `token ${this.token}`, Accept: 'application/json' },
        signal: AbortSignal.timeout(TIMEOUT_MS)
      });
      if (response.status === 401 || response.status === 403) {
        return { url, reachable: true, user: null, problem: { code: 'invalid_token', message: 'The HubShare service did not accept this server\'s token; ask your admin for a new one.' } };
      }
      if (!response.ok) {
        return { url, reachable: true, user: null, problem: { code: 'unhealthy', message: `The HubShare service answered ${response.status} when asked who you are.` } };
      }
      const body = (await response.json()) as { name?: unknown; admin?: unknown; teams?: unknown };
      if (typeof body.name !== 'string') {
        return { url, reachable: true, user: null, problem: { code: 'unhealthy', message: 'The HubShare service sent an answer this version does not understand.' } };
      }
      const teams = Array.isArray(body.teams) ? body.teams.filter((team): team is string => typeof team === 'string') : [];
      return { url, reachable: true, user: { name: body.name, admin: body.admin === true, teams }, problem: null };
    } catch {
      return { url, reachable: false, user: null, problem: { code: 'unreachable', message: `The HubShare service at ${url} stopped answering.` } };
    }
  }
}

/** A project as the service describes it. */
export interface ServiceProject {
  owner: string;
  name: string;
  description: string;
  visibility: 'private' | 'hub';
  myLevel: 'read' | 'write' | 'admin';
}

/**
 * Calls the service's REST API with the user's token.
 * @throws the typed error matching the service's answer (NotFound, Forbidden, Conflict, …), or
 *   ServiceUnavailable when the service cannot be reached.
 */
export async function callService<T>(
  target: { url: string; token: string },
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${target.url}/api/v1${path}`, {
      method,
      headers: {
        Authorization: `token ${target.token}`,
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' })
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000)
    });
  } catch {
    throw new ServiceUnavailable(`The HubShare service at ${target.url} cannot be reached.`, 'unreachable');
  }
  if (response.status === 204) {
    return undefined as T;
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (response.ok) {
    return parsed as T;
  }
  const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
  const message = error?.message ?? `The HubShare service answered ${response.status}.`;
  const code = error?.code ?? 'service_error';
  throw response.status >= 500 ? new ServiceUnavailable(message, code) : new HubShareError(response.status, code, message);
}
