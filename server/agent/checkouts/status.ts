// `hubshare status`: where a checkout stands against its project (fetches first).
import type { CheckoutGit } from '../git/git-runner';
import { callService } from '../service-client';
import type { CheckoutContext } from './checkout-context';
import { withCheckoutLock } from './checkout-lock';
import { type CheckoutState, type CheckoutStatus, TRACKING } from './checkout-types';
import { pullInProgress } from './layout';
import { describeRemote } from './remote';

/** Where projects' main branches are on the service (null: no push yet); unreadable ones are absent. */
export type KnownHeads = ReadonlyMap<string, string | null>;

/** The most projects one heads request names (the service's own limit). */
const HEADS_PER_REQUEST = 1000;

/** Where the main branch of each project is, in one request per thousand projects. */
export async function headsOf(context: CheckoutContext, projects: readonly string[]): Promise<KnownHeads> {
  const heads = new Map<string, string | null>();
  const unique = [...new Set(projects)];
  for (let start = 0; start < unique.length; start += HEADS_PER_REQUEST) {
    const answer = await callService<{ heads: Record<string, string | null> }>(context.service, 'POST', '/projects/heads', { projects: unique.slice(start, start + HEADS_PER_REQUEST) });
    Object.entries(answer.heads).forEach(([project, head]) => heads.set(project, head));
  }
  return heads;
}

/**
 * Where the checkout stands against the service. It fetches only when the project's main branch
 * is not where the checkout last saw it: `known` says where it is (one request for many
 * checkouts), else the service is asked for this one. A project the caller can no longer read
 * is fetched, so the answer says why.
 */
export async function status(context: CheckoutContext, dir: string, known?: KnownHeads): Promise<CheckoutStatus> {
  const root = context.requireCheckout(dir);
  return withCheckoutLock(root, async () => {
    const remote = await context.remoteOf(root);
    const git = context.git(root, remote);
    const project = describeRemote(remote);
    const conflicts = await context.conflicts(git);
    if (conflicts.length > 0 || pullInProgress(root)) {
      return { root, project, state: 'conflicted', changed: [], behind: 0, ahead: 0, conflicts, lastChange: await lastChange(context, git) };
    }
    const heads = remote.kind === 'project' ? (known ?? (await headsOf(context, [remote.project]))) : new Map<string, string | null>();
    const unchanged = remote.kind === 'project' && heads.has(remote.project) && heads.get(remote.project) === (await context.tracking(git));
    if (!unchanged) {
      await context.fetch(git, remote);
    }
    const changed = await changedFiles(context, git, root);
    const { ahead, behind } = await aheadBehind(context, git);
    const mineChanged = ahead > 0 || changed.length > 0;
    const state: CheckoutState =
      mineChanged && behind > 0 ? 'diverged' : behind > 0 ? 'behind' : changed.length > 0 ? 'local-changes' : ahead > 0 ? 'ahead' : 'clean';
    return { root, project, state, changed, behind, ahead, conflicts: [], lastChange: await lastChange(context, git) };
  });
}

/** The author and time of the latest commit on the project's main branch, as last fetched. */
async function lastChange(context: CheckoutContext, git: CheckoutGit): Promise<{ by: string; at: string } | null> {
  if ((await context.tracking(git)) === null) {
    return null;
  }
  const [by, at] = (await git.run(['log', '-1', '--format=%an%x00%aI', TRACKING])).trim().split('\0');
  return by && at ? { by, at } : null;
}

async function aheadBehind(context: CheckoutContext, git: CheckoutGit): Promise<{ ahead: number; behind: number }> {
  const head = await context.head(git);
  const tracking = await context.tracking(git);
  if (head === null || tracking === null) {
    // One side has no history yet: the other is simply ahead (counted as one step).
    return { ahead: head !== null ? 1 : 0, behind: head === null && tracking !== null ? 1 : 0 };
  }
  const [ahead, behind] = (await git.run(['rev-list', '--left-right', '--count', `HEAD...${TRACKING}`])).trim().split(/\s+/).map(Number);
  return { ahead, behind };
}

async function changedFiles(context: CheckoutContext, git: CheckoutGit, root: string): Promise<string[]> {
  context.writeExcludes(root);
  const out = await git.run(['status', '--porcelain=v1', '-z', '--untracked-files=all']);
  return out
    .split('\0')
    .filter(entry => entry.length > 3)
    .map(entry => entry.slice(3));
}
