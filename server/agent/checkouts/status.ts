// `hubshare status`: where a checkout stands against its project (fetches first).
import type { CheckoutGit } from '../git/git-runner';
import type { CheckoutContext } from './checkout-context';
import { withCheckoutLock } from './checkout-lock';
import { type CheckoutState, type CheckoutStatus, TRACKING } from './checkout-types';
import { pullInProgress } from './layout';
import { describeRemote } from './remote';

/** Where the checkout stands against the service (fetches first). */
export async function status(context: CheckoutContext, dir: string): Promise<CheckoutStatus> {
  const root = context.requireCheckout(dir);
  return withCheckoutLock(root, async () => {
    const remote = await context.remoteOf(root);
    const git = context.git(root, remote);
    const project = describeRemote(remote);
    const conflicts = await context.conflicts(git);
    if (conflicts.length > 0 || pullInProgress(root)) {
      return { root, project, state: 'conflicted', changed: [], behind: 0, ahead: 0, conflicts, lastChange: await lastChange(context, git) };
    }
    await context.fetch(git, remote);
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
