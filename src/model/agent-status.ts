import type { CheckoutStatus } from './checkout-status';
import { type ListProgress, type ProjectSection, shownProjects, type ShownProjects, WHOLE_LIST } from './project-lists';

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
  /** Their own projects, as far as they have been read (page by page, `model/project-lists.ts`). */
  mine: ProjectSummary[];
  /** Others' projects they can read, likewise. */
  sharedWithMe: ProjectSummary[];
  /** How far each of the two has been read, and the filter's results for one longer than that. */
  progress: Record<ProjectSection, ListProgress>;
  /** The last full status of each checkout, by path; read less often than the lists (it fetches). */
  statuses: Readonly<Record<string, CheckoutStatus>>;
  /** Set when the lists could not be read (the connection itself is fine); what was read before stays. */
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
  return { checkouts: [], mine: [], sharedWithMe: [], progress: { mine: WHOLE_LIST, sharedWithMe: WHOLE_LIST }, statuses: {}, problem };
}

/**
 * A listing of these checkouts and project lists (whole ones unless their progress says
 * otherwise); keeps the statuses of checkouts still there.
 */
export function listingOf(
  checkouts: readonly CheckoutSummary[],
  projects: Pick<Listing, 'mine' | 'sharedWithMe'> & Partial<Pick<Listing, 'progress'>>,
  statuses: Readonly<Record<string, CheckoutStatus>> = {},
  problem: string | null = null
): Listing {
  return {
    checkouts: [...checkouts],
    mine: projects.mine,
    sharedWithMe: projects.sharedWithMe,
    progress: projects.progress ?? { mine: WHOLE_LIST, sharedWithMe: WHOLE_LIST },
    statuses: Object.fromEntries(checkouts.filter(c => c.path in statuses).map(c => [c.path, statuses[c.path]])),
    problem
  };
}

/** What the panel shows of a listing under its filter. */
export interface ShownListing {
  checkouts: CheckoutSummary[];
  mine: ShownProjects;
  sharedWithMe: ShownProjects;
}

/**
 * The rows the filter keeps: checkouts by folder; projects as `shownProjects` says (by owner/name
 * and description where they are, or the service's results for a long list). `keeps` is the filter
 * box's test (JupyterLab's own matching), null without a filter.
 */
export function shownListing(listing: Listing, keeps: ((text: string) => boolean) | null): ShownListing {
  return {
    checkouts: keeps ? listing.checkouts.filter(checkout => keeps(checkout.path)) : listing.checkouts,
    mine: shownProjects(listing.mine, listing.progress.mine, keeps),
    sharedWithMe: shownProjects(listing.sharedWithMe, listing.progress.sharedWithMe, keeps)
  };
}

/**
 * `owner/name` when the text names a HubShare project, else null (a checkout cloned from a URL
 * names its URL instead).
 */
export function hubShareProject(text: unknown): string | null {
  return typeof text === 'string' && /^[^/:]+\/[^/:]+$/.test(text) ? text : null;
}
