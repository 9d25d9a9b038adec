import type { CheckoutSummary } from './agent-status';

/** How both sides changed a file that needs a pick (as the agent names it). */
export type ConflictKind = 'both-changed' | 'both-added' | 'deleted-by-me' | 'deleted-by-them';

/** A file a pull stopped at, waiting for mine or theirs. */
export interface ConflictedFile {
  path: string;
  kind: ConflictKind;
}

/** `GET /hubshare/api/checkouts/status?path=…`, as the agent answers it (it fetches first). */
export interface CheckoutStatus {
  root: string;
  project: string;
  /**
   * `no-access` is the panel's own: the agent answered that the project is gone or no longer
   * readable (the files in the folder stay; nothing can be pulled or pushed).
   */
  state: 'clean' | 'local-changes' | 'behind' | 'ahead' | 'diverged' | 'conflicted' | 'no-access';
  changed: string[];
  behind: number;
  ahead: number;
  conflicts: ConflictedFile[];
  /** Who made the latest change on the project, and when (ISO 8601); null before any. */
  lastChange: { by: string; at: string } | null;
}

/**
 * What the panel keeps for a checkout whose project is gone or no longer readable: the last
 * change it knew of, and nothing to push or pull.
 */
export function noAccessStatus(path: string, previous: CheckoutStatus | undefined): CheckoutStatus {
  return { root: path, project: previous?.project ?? '', state: 'no-access', changed: [], behind: 0, ahead: 0, conflicts: [], lastChange: previous?.lastChange ?? null };
}

/**
 * Whether a checkout has a project to push to (and to share): not a folder cloned from a URL
 * until it is published, nor one whose project is gone or unshared (its last status said so).
 */
export function canPush(checkout: CheckoutSummary, status: CheckoutStatus | undefined): boolean {
  return checkout.source === 'project' && status?.state !== 'no-access';
}

/** The badge a checkout row shows: what the user should do next, in one word or two. */
export type StatusBadge = 'up-to-date' | 'my-changes' | 'updates-available' | 'both' | 'conflicts' | 'no-access' | 'unknown';

/**
 * The badge of a checkout from the quick listing (which knows only about conflicts) and the last
 * full status, if one has been read. The listing wins for conflicts: it is read more often.
 */
export function badgeOf(checkout: CheckoutSummary, status: CheckoutStatus | undefined): StatusBadge {
  if (checkout.conflicted) {
    return 'conflicts';
  }
  if (status === undefined) {
    return 'unknown';
  }
  switch (status.state) {
    case 'clean':
      return 'up-to-date';
    case 'local-changes':
    case 'ahead':
      return 'my-changes';
    case 'behind':
      return 'updates-available';
    case 'diverged':
      return 'both';
    case 'conflicted':
      // A status read before the pull was finished or cancelled elsewhere; the listing says not.
      return 'unknown';
    case 'no-access':
      return 'no-access';
  }
}
