// `hubshare pull`: local changes committed, the project's changes fetched and merged; what does
// not collide merges by itself (text by line, notebooks by cell), the rest waits for a pick.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HubShareError } from '../../shared/errors';
import type { CheckoutContext } from './checkout-context';
import { withCheckoutLock } from './checkout-lock';
import { type PullResult, type PullState, TRACKING } from './checkout-types';
import { HUBSHARE_DIR, PULL_STATE_FILE } from './layout';
import { mergeByContent, type MergedFile } from './merge/merge-policy';
import { forgetPartPicks } from './merge/part-picks';
import { describeRemote } from './remote';
import { refuseWritesIntoUserRepositories } from './user-repositories';

/**
 * Commits local changes, fetches and merges. Files both sides changed merge by content where
 * the changes do not collide; the merge stops with every file left listed, and the files on
 * disk stay usable (mine, never conflict markers).
 */
export async function pull(context: CheckoutContext, dir: string): Promise<PullResult> {
  const root = context.requireCheckout(dir);
  return withCheckoutLock(root, async () => {
    context.refuseDuringPull(root);
    const remote = await context.remoteOf(root);
    const git = context.git(root, remote);
    await context.recoverInterruptedPull(git, root);
    const before = await context.head(git);
    const localSnapshot = await context.commitAll(git, root, `Changes by ${context.service.userName}, before pulling`, before);
    if (!(await context.fetch(git, remote))) {
      await context.undoCommit(git, before, localSnapshot);
      return { state: 'up-to-date' };
    }
    if (localSnapshot !== null && (await git.succeeds(['merge-base', '--is-ancestor', TRACKING, 'HEAD']))) {
      await context.undoCommit(git, before, localSnapshot);
      return { state: 'up-to-date' };
    }
    try {
      await refuseWritesIntoUserRepositories(git, root, localSnapshot, TRACKING);
    } catch (error) {
      await context.undoCommit(git, before, localSnapshot);
      throw error;
    }
    if (localSnapshot === null) {
      await git.run(['reset', '--hard', '--quiet', TRACKING]);
      return { state: 'updated', merged: [] };
    }
    if (await git.succeeds(['merge', '--quiet', '--no-edit', '-m', `Pull updates of ${describeRemote(remote)}`, TRACKING])) {
      return { state: 'updated', merged: [] };
    }
    const state: PullState = { before, localSnapshot };
    const stopped = await context.conflicts(git);
    if (stopped.length === 0) {
      // The merge failed for another reason: put everything back as it was.
      await context.restore(git, state);
      throw new HubShareError(500, 'merge_failed', 'Pulling failed; your files are as they were. See the agent log.');
    }
    let merged: MergedFile[];
    try {
      merged = await mergeByContent(git, root, stopped.filter(conflict => conflict.kind === 'both-changed'));
    } catch (error) {
      await context.restore(git, state);
      throw error;
    }
    const conflicts = await context.conflicts(git);
    if (conflicts.length === 0) {
      await git.run(['commit', '--quiet', '--no-edit']);
      return { state: 'updated', merged };
    }
    forgetPartPicks(root, 'all');
    writeFileSync(join(root, HUBSHARE_DIR, PULL_STATE_FILE), JSON.stringify(state));
    return { state: 'conflicted', conflicts, merged };
  });
}
