// The shapes the checkout operations take and answer, shared by the operations, the CLI and the
// agent's routes (so none of them imports another for a type).
import type { GitProgress } from '../git/git-runner';
import type { TreeLimits } from './hostile-tree';
import type { MergedFile } from './merge/merge-policy';

/** The service and the signed-in user, as every operation needs them. */
export interface ServiceTarget {
  url: string;
  token: string;
  userName: string;
}

/** How both sides changed a file that needs a pick. */
export type ConflictKind = 'both-changed' | 'both-added' | 'deleted-by-me' | 'deleted-by-them';

export interface ConflictedFile {
  path: string;
  kind: ConflictKind;
}

/**
 * The outcome of a pull: done, or stopped at files that need a pick (mine or theirs). `merged`
 * lists the files both sides changed that merged by themselves (text by line, notebooks by cell).
 */
export type PullResult =
  | { state: 'up-to-date' }
  | { state: 'updated'; merged: MergedFile[] }
  | { state: 'conflicted'; conflicts: ConflictedFile[]; merged: MergedFile[] };

export type CheckoutState = 'clean' | 'local-changes' | 'behind' | 'ahead' | 'diverged' | 'conflicted';

export interface CheckoutStatus {
  root: string;
  project: string;
  state: CheckoutState;
  /** Files changed here since the last push or pull. */
  changed: string[];
  behind: number;
  ahead: number;
  conflicts: ConflictedFile[];
  /** Who made the latest change on the project's main branch, and when (ISO 8601); null before any. */
  lastChange: { by: string; at: string } | null;
}

export interface CheckoutOptions {
  /** Let `clone` use plain http:// to loopback addresses (tests; never for real hosts). */
  allowHttpLoopback?: boolean;
  /** The most a clone from a URL may download, in bytes. */
  maxCloneBytes?: number;
  /** The most files and bytes a fetched tree may write out (checkout, clone, pull). */
  treeLimits?: TreeLimits;
  /** Told how far fetches and pushes have come (the Projects panel shows it). */
  onProgress?: (event: GitProgress) => void;
  /** No checkout above this folder (a real path: the agent's root) is ever found or used. */
  ceiling?: string;
}

/** What `abort` needs to restore: HEAD before the pull, and the commit of the files as they were. */
export interface PullState {
  before: string | null;
  localSnapshot: string;
}

/** The project's one branch, and where a checkout keeps what it last fetched of it. */
export const MAIN = 'refs/heads/main';
export const TRACKING = 'refs/remotes/origin/main';
