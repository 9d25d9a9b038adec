import type { CheckoutStatus } from './checkout-status';

/** `GET /hubshare/api/status`, as the agent answers it. */
export interface AgentStatus {
  version: string;
  rootDir: string;
  service: {
    url: string | null;
    reachable: boolean;
    user: { name: string; admin: boolean; teams?: string[] } | null;
    problem: { code: string; message: string } | null;
  };
}

/** A project the user can read (`GET /hubshare/api/projects`). */
export interface ProjectSummary {
  owner: string;
  name: string;
  description: string;
  visibility: 'private' | 'hub';
  myLevel: 'read' | 'write' | 'admin';
  updatedAt: string;
}

/** A checkout on this server (`GET /hubshare/api/checkouts`). */
export interface CheckoutSummary {
  /** Relative to Jupyter's root, as in the file browser. */
  path: string;
  /** Pulls from a HubShare project, or from a URL it was cloned from (then it can be published, not pushed). */
  source: 'project' | 'url';
  /** A pull is waiting for the user to pick mine or theirs. */
  conflicted: boolean;
}

/** What the user has, once connected. */
export interface Listing {
  checkouts: CheckoutSummary[];
  mine: ProjectSummary[];
  sharedWithMe: ProjectSummary[];
  /** The last full status of each checkout, by path; read less often than the lists (it fetches). */
  statuses: Readonly<Record<string, CheckoutStatus>>;
  /** Set when the lists could not be read (the connection itself is fine). */
  problem: string | null;
}

/** What the panel shows about the connection, derived from one status answer (or its failure). */
export type ConnectionState =
  | { kind: 'checking' }
  | { kind: 'agent-unavailable'; message: string }
  | { kind: 'service-unreachable'; status: AgentStatus; message: string }
  | { kind: 'signed-out'; status: AgentStatus; message: string }
  | { kind: 'connected'; status: AgentStatus; userName: string; listing: Listing };

/** Maps an agent status (and, when connected, the lists) to the state the panel shows. */
export function connectionStateOf(status: AgentStatus, listing?: Listing): ConnectionState {
  const { service } = status;
  if (service.user) {
    return {
      kind: 'connected',
      status,
      userName: service.user.name,
      listing: listing ?? emptyListing(null)
    };
  }
  const message = service.problem?.message ?? '';
  return service.reachable ? { kind: 'signed-out', status, message } : { kind: 'service-unreachable', status, message };
}

/** A listing with nothing in it, and the reason when it could not be read. */
export function emptyListing(problem: string | null): Listing {
  return { checkouts: [], mine: [], sharedWithMe: [], statuses: {}, problem };
}

/** Splits the readable projects into mine and shared with me; keeps the statuses of checkouts still there. */
export function listingOf(
  userName: string,
  projects: readonly ProjectSummary[],
  checkouts: readonly CheckoutSummary[],
  statuses: Readonly<Record<string, CheckoutStatus>> = {}
): Listing {
  return {
    checkouts: [...checkouts],
    mine: projects.filter(project => project.owner === userName),
    sharedWithMe: projects.filter(project => project.owner !== userName),
    statuses: Object.fromEntries(checkouts.filter(c => c.path in statuses).map(c => [c.path, statuses[c.path]])),
    problem: null
  };
}

/**
 * The rows whose text the filter keeps: checkouts by folder, projects by owner/name and
 * description. `keeps` is the filter box's test (JupyterLab's own matching).
 */
export function filteredListing(listing: Listing, keeps: (text: string) => boolean): Listing {
  const keepsProject = (project: ProjectSummary) => keeps(`${project.owner}/${project.name}`) || (project.description !== '' && keeps(project.description));
  return {
    ...listing,
    checkouts: listing.checkouts.filter(checkout => keeps(checkout.path)),
    mine: listing.mine.filter(keepsProject),
    sharedWithMe: listing.sharedWithMe.filter(keepsProject)
  };
}

/**
 * `owner/name` when the text names a HubShare project, else null (a checkout cloned from a URL
 * names its URL instead).
 */
export function hubShareProject(text: unknown): string | null {
  return typeof text === 'string' && /^[^/:]+\/[^/:]+$/.test(text) ? text : null;
}
