// `hubshare status`: where a checkout stands against its project (fetching only when it moved).
import type { CheckoutGit } from '../git/git-runner';
import { callService } from '../service-client';
import type { CheckoutContext } from './checkout-context';
import { withCheckoutLock } from './checkout-lock';
import { type CheckoutState, type CheckoutStatus, type ConflictedFile, TRACKING } from './checkout-types';
import { pullInProgress } from './layout';
import { conflictOf } from './checkout-context';
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
 * is fetched, so the answer says why. Three git processes at most when nothing moved: one
 * `status` for the files, one `for-each-ref` for where main was last seen, one `rev-list` when
 * both sides have commits.
 */
export async function status(context: CheckoutContext, dir: string, known?: KnownHeads, waitMs?: number): Promise<CheckoutStatus> {
  const root = context.requireCheckout(dir);
  return withCheckoutLock(
    root,
    async () => {
      const remote = await context.remoteOf(root);
      const git = context.git(root, remote);
      const project = describeRemote(remote);
      // A pull killed inside its merge: back to the user's files, so the answer is "pull", not picks.
      await context.recoverInterruptedPull(git, root);
      const files = await workingState(context, git, root);
      if (files.conflicts.length > 0 || pullInProgress(root)) {
        return { root, project, state: 'conflicted', changed: [], behind: 0, ahead: 0, conflicts: files.conflicts, lastChange: (await trackingState(git)).lastChange };
      }
      let tracking = await trackingState(git);
      const heads = remote.kind === 'project' ? (known ?? (await headsOf(context, [remote.project]))) : new Map<string, string | null>();
      const unchanged = remote.kind === 'project' && heads.has(remote.project) && heads.get(remote.project) === tracking.commit;
      if (!unchanged) {
        // A fetch moves only the tracking ref: the files and HEAD are as just read.
        await context.fetch(git, remote);
        tracking = await trackingState(git);
      }
      const { ahead, behind } = await aheadBehind(git, files.head, tracking.commit);
      const changed = files.changed;
      const mineChanged = ahead > 0 || changed.length > 0;
      const state: CheckoutState =
        mineChanged && behind > 0 ? 'diverged' : behind > 0 ? 'behind' : changed.length > 0 ? 'local-changes' : ahead > 0 ? 'ahead' : 'clean';
      return { root, project, state, changed, behind, ahead, conflicts: [], lastChange: tracking.lastChange };
    },
    waitMs
  );
}

/** The files: HEAD's commit, files changed since it, files waiting for a pick — from one `git status`. */
async function workingState(context: CheckoutContext, git: CheckoutGit, root: string): Promise<{ head: string | null; changed: string[]; conflicts: ConflictedFile[] }> {
  context.writeExcludes(root);
  const out = await git.run(['status', '--porcelain=v2', '-z', '--branch', '--untracked-files=all']);
  const result: { head: string | null; changed: string[]; conflicts: ConflictedFile[] } = { head: null, changed: [], conflicts: [] };
  const entries = out.split('\0');
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index];
    const fields = entry.split(' ');
    if (entry.startsWith('# branch.oid ')) {
      result.head = fields[2] === '(initial)' ? null : fields[2];
    } else if (entry.startsWith('1 ')) {
      result.changed.push(fields.slice(8).join(' '));
    } else if (entry.startsWith('2 ')) {
      // A rename: the entry names the new path, the next one the old.
      result.changed.push(fields.slice(9).join(' '));
      index += 1;
    } else if (entry.startsWith('u ')) {
      const conflict = conflictOf(entry);
      if (conflict) {
        result.conflicts.push(conflict);
      }
    } else if (entry.startsWith('? ')) {
      result.changed.push(entry.slice(2));
    }
  }
  result.conflicts.sort((a, b) => a.path.localeCompare(b.path));
  return result;
}

/** Where the project's main branch was last seen, and who made that change when (one `for-each-ref`). */
async function trackingState(git: CheckoutGit): Promise<{ commit: string | null; lastChange: { by: string; at: string } | null }> {
  const line = (await git.run(['for-each-ref', '--format=%(objectname)%00%(authorname)%00%(authordate:iso-strict)', TRACKING])).trim();
  if (!line) {
    return { commit: null, lastChange: null };
  }
  const [commit, by, at] = line.split('\0');
  return { commit, lastChange: by && at ? { by, at } : null };
}

async function aheadBehind(git: CheckoutGit, head: string | null, tracking: string | null): Promise<{ ahead: number; behind: number }> {
  if (head === null || tracking === null) {
    // One side has no history yet: the other is simply ahead (counted as one step).
    return { ahead: head !== null ? 1 : 0, behind: head === null && tracking !== null ? 1 : 0 };
  }
  if (head === tracking) {
    return { ahead: 0, behind: 0 };
  }
  const [ahead, behind] = (await git.run(['rev-list', '--left-right', '--count', `${head}...${tracking}`])).trim().split(/\s+/).map(Number);
  return { ahead, behind };
}
