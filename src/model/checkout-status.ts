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
  state: 'clean' | 'local-changes' | 'behind' | 'ahead' | 'diverged' | 'conflicted';
  changed: string[];
  behind: number;
  ahead: number;
  conflicts: ConflictedFile[];
  /** Who made the latest change on the project, and when (ISO 8601); null before any. */
  lastChange: { by: string; at: string } | null;
}

/** The badge a checkout row shows: what the user should do next, in one word or two. */
export type StatusBadge = 'up-to-date' | 'my-changes' | 'updates-available' | 'both' | 'conflicts' | 'unknown';

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
  }
}
