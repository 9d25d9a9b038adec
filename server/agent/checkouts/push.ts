// `hubshare push`: the folder's current state, committed and pushed as a fast-forward.
import { BadRequest, Conflict } from '../../shared/errors';
import { AgentGitError } from '../git/git-runner';
import type { CheckoutContext } from './checkout-context';
import { withCheckoutLock } from './checkout-lock';
import { MAIN, TRACKING } from './checkout-types';

/**
 * Commits the folder's current state and pushes it. A push that is not a fast-forward changes
 * nothing (the commit is undone) and says to pull first.
 * @throws Conflict (`pull_first`) when someone pushed first; Conflict when a pull is unfinished.
 */
export async function push(context: CheckoutContext, dir: string, message?: string): Promise<{ pushed: boolean }> {
  const root = context.requireCheckout(dir);
  return withCheckoutLock(root, async () => {
    context.refuseDuringPull(root);
    const remote = await context.remoteOf(root);
    if (remote.kind !== 'project') {
      throw new BadRequest(`This folder was cloned from ${remote.url}; publish it as a project of your own to push.`, 'not_a_project');
    }
    const git = context.git(root, remote);
    await context.recoverInterruptedPull(git, root);
    const before = await context.head(git);
    const after = await context.commitAll(git, root, message ?? `Changes by ${context.service.userName}`, before);
    if (after === null || (after === before && (await context.tracking(git)) === after)) {
      return { pushed: false };
    }
    try {
      await git.run(['push', git.verbosity, '--', context.gitUrl(remote.project), `HEAD:${MAIN}`]);
    } catch (error) {
      await context.undoCommit(git, before, after);
      if (error instanceof AgentGitError && /non-fast-forward|fetch first|rejected/.test(error.stderr)) {
        throw new Conflict('Someone pushed first: pull, then push.', 'pull_first');
      }
      throw context.explain(error);
    }
    await git.run(['update-ref', TRACKING, 'HEAD']);
    return { pushed: true };
  });
}
