// Three-way merge of text files by line, with git's own `git merge-file`: the algorithm git users
// know from `git pull` (xdiff, the same hunks and the same idea of what overlaps), no dependency
// of our own to keep, and it runs on the three versions as bytes, so line endings stay as they were.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckoutGit } from '../../git/git-runner';

/** How far into a file git looks for a NUL byte before calling it binary (as git itself does). */
const BINARY_PROBE_BYTES = 8000;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Whether `bytes` is text a line merge may touch: valid UTF-8 with no NUL byte near the start. */
export function isText(bytes: Buffer): boolean {
  if (bytes.subarray(0, BINARY_PROBE_BYTES).includes(0)) {
    return false;
  }
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Merges `mine` and `theirs`, both changed from `base`, line by line. Changes to different lines
 * merge; overlapping ones (or anything not text) make the answer null, and nothing is written
 * anywhere but a scratch folder inside `scratchParent`, removed before returning.
 */
export async function mergeText(git: CheckoutGit, scratchParent: string, base: Buffer, mine: Buffer, theirs: Buffer): Promise<Buffer | null> {
  if (!isText(base) || !isText(mine) || !isText(theirs)) {
    return null;
  }
  const scratch = mkdtempSync(join(scratchParent, 'merge-'));
  try {
    const files = { mine: join(scratch, 'mine'), base: join(scratch, 'base'), theirs: join(scratch, 'theirs') };
    writeFileSync(files.mine, mine);
    writeFileSync(files.base, base);
    writeFileSync(files.theirs, theirs);
    // Exit code: 0 merged, N > 0 the number of overlapping hunks, negative (255) an error.
    const { code, stdout } = await git.answer(['merge-file', '-p', '--', files.mine, files.base, files.theirs]);
    return code === 0 ? stdout : null;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
