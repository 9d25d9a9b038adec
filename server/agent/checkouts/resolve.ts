// Finishing or cancelling a pull that waits: pick mine or theirs, continue, abort; and either
// side of a waiting file for the picker's previews.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BadRequest, Conflict, NotFound } from '../../shared/errors';
import type { CheckoutContext } from './checkout-context';
import { withCheckoutLock } from './checkout-lock';
import type { ConflictedFile, PullState } from './checkout-types';
import { HUBSHARE_DIR, PULL_STATE_FILE, pullInProgress } from './layout';
import { type ConflictParts, conflictParts, forgetPartPicks, type Pick, pickPart } from './merge/part-picks';

/** Picks mine or theirs for conflicted files (all of them with `paths` = 'all'). */
export async function resolve(context: CheckoutContext, dir: string, paths: readonly string[] | 'all', side: 'mine' | 'theirs'): Promise<ConflictedFile[]> {
  const root = context.requireCheckout(dir);
  return withCheckoutLock(root, async () => {
    const git = context.git(root);
    const conflicts = await context.conflicts(git);
    const byPath = new Map(conflicts.map(conflict => [conflict.path, conflict]));
    const chosen =
      paths === 'all'
        ? conflicts
        : paths.map(path => {
            const conflict = byPath.get(path);
            if (!conflict) {
              throw new BadRequest(`${path} is not a file waiting for a pick.`, 'not_conflicted');
            }
            return conflict;
          });
    forgetPartPicks(root, chosen.map(conflict => conflict.path));
    for (const conflict of chosen) {
      const gone = side === 'mine' ? conflict.kind === 'deleted-by-me' : conflict.kind === 'deleted-by-them';
      if (gone) {
        await git.run(['rm', '--quiet', '--force', '--', conflict.path]);
      } else {
        await git.run(['checkout', side === 'mine' ? '--ours' : '--theirs', '--', conflict.path]);
        await git.run(['add', '--', conflict.path]);
      }
    }
    return context.conflicts(git);
  });
}

/** A file both sides changed, waiting for a pick. @throws BadRequest for any other path. */
async function waitingFile(context: CheckoutContext, root: string, path: string): Promise<ConflictedFile> {
  const conflict = (await context.conflicts(context.git(root))).find(candidate => candidate.path === path);
  if (!conflict) {
    throw new BadRequest(`${path} is not a file waiting for a pick.`, 'not_conflicted');
  }
  return conflict;
}

/** The parts (cells of a notebook, hunks of a text file) a waiting file can be picked by. */
export async function partsOf(context: CheckoutContext, dir: string, path: string): Promise<ConflictParts> {
  const root = context.requireCheckout(dir);
  return withCheckoutLock(root, async () => {
    const conflict = await waitingFile(context, root, path);
    if (conflict.kind !== 'both-changed') {
      return { kind: 'whole', reason: 'only one side kept it, or both added it' };
    }
    return conflictParts(context.git(root), root, path);
  });
}

/**
 * Picks a side for one part (a cell id or number, `metadata`, or a hunk number) of a waiting
 * file; once every part has a pick the file is merged with them and resolved.
 * @returns the files still waiting.
 */
export async function resolvePart(context: CheckoutContext, dir: string, path: string, key: string, side: Pick): Promise<ConflictedFile[]> {
  const root = context.requireCheckout(dir);
  return withCheckoutLock(root, async () => {
    const conflict = await waitingFile(context, root, path);
    if (conflict.kind !== 'both-changed') {
      throw new BadRequest(`${path} can only be picked as a whole: one side deleted it or both added it.`, 'whole_file_only');
    }
    const git = context.git(root);
    await pickPart(git, root, path, key, side);
    return context.conflicts(git);
  });
}

/** Completes a pull once every conflicted file has been picked. @throws Conflict listing what is left. */
export async function continuePull(context: CheckoutContext, dir: string): Promise<void> {
  const root = context.requireCheckout(dir);
  await withCheckoutLock(root, async () => {
    const git = context.git(root);
    const left = await context.conflicts(git);
    if (left.length > 0) {
      throw new Conflict(`Pick mine or theirs first for: ${left.map(c => c.path).join(', ')}.`, 'conflicts_left');
    }
    if (!pullInProgress(root)) {
      throw new BadRequest('There is no pull to finish here.', 'no_pull');
    }
    await git.run(['commit', '--quiet', '--no-edit']);
    rmSync(join(root, HUBSHARE_DIR, PULL_STATE_FILE));
    forgetPartPicks(root, 'all');
  });
}

/** Cancels an unfinished pull: every file is back exactly as before the pull, local edits included. */
export async function abortPull(context: CheckoutContext, dir: string): Promise<void> {
  const root = context.requireCheckout(dir);
  await withCheckoutLock(root, async () => {
    const stateFile = join(root, HUBSHARE_DIR, PULL_STATE_FILE);
    if (!existsSync(stateFile)) {
      throw new BadRequest('There is no pull to cancel here.', 'no_pull');
    }
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as PullState;
    await context.restore(context.git(root), state);
    rmSync(stateFile);
    forgetPartPicks(root, 'all');
  });
}

/**
 * One side of a conflicted file, for a side-by-side preview: mine as it was before the pull,
 * or theirs as pushed. Read from git's index, so a pick already made on disk does not change it.
 * @throws BadRequest when the file is not conflicted; NotFound when that side deleted it.
 */
export async function version(context: CheckoutContext, dir: string, path: string, side: 'mine' | 'theirs'): Promise<Buffer> {
  const root = context.requireCheckout(dir);
  const git = context.git(root);
  const conflict = await waitingFile(context, root, path);
  if (side === 'theirs' && conflict.kind === 'deleted-by-them') {
    throw new NotFound(`${path} was deleted on the other side.`, 'deleted_by_them');
  }
  if (side === 'mine' && conflict.kind === 'deleted-by-me') {
    throw new NotFound(`${path} was deleted here before the pull.`, 'deleted_by_me');
  }
  // Stage 2 is mine (ours), stage 3 theirs.
  return git.blob(`:${side === 'mine' ? 2 : 3}:${path}`);
}
