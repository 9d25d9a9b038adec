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
  // Exit code: 0 merged, N > 0 the number of overlapping hunks, negative (255) an error.
  const { code, stdout } = await mergeFile(git, scratchParent, { base, mine, theirs }, []);
  return code === 0 ? stdout : null;
}

/** `git merge-file -p` on scratch copies of the three versions inside `scratchParent`, removed after. */
async function mergeFile(git: CheckoutGit, scratchParent: string, versions: { base: Buffer; mine: Buffer; theirs: Buffer }, options: readonly string[]): Promise<{ code: number; stdout: Buffer }> {
  const scratch = mkdtempSync(join(scratchParent, 'merge-'));
  try {
    const files = { mine: join(scratch, 'mine'), base: join(scratch, 'base'), theirs: join(scratch, 'theirs') };
    writeFileSync(files.mine, versions.mine);
    writeFileSync(files.base, versions.base);
    writeFileSync(files.theirs, versions.theirs);
    return await git.answer(['merge-file', '-p', ...options, '--', files.mine, files.base, files.theirs]);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** One place where both sides changed the same lines: what each side has there. */
export interface TextHunk {
  /** Its number in the file, from 1. */
  key: string;
  base: string;
  mine: string;
  theirs: string;
}

/** A line merge as pieces: the merged text between the hunks, and the hunks that need a pick. */
type Piece = { text: string } | TextHunk;

/** A marker no line of the inputs starts with, so git's markers are told apart from content. */
function markerSize(inputs: readonly Buffer[]): number {
  let longest = 6;
  for (const input of inputs) {
    for (const run of input.toString('utf8').matchAll(/^(<+|=+|>+|\|+)/gm)) {
      longest = Math.max(longest, run[1].length);
    }
  }
  return longest + 1;
}

/**
 * The line merge of three versions as pieces: text that merged, and each overlapping hunk with
 * both sides' lines (and the base's). Null when the versions are not all text.
 */
async function mergePieces(git: CheckoutGit, scratchParent: string, base: Buffer, mine: Buffer, theirs: Buffer): Promise<Piece[] | null> {
  if (!isText(base) || !isText(mine) || !isText(theirs)) {
    return null;
  }
  const size = markerSize([base, mine, theirs]);
  const { code, stdout: output } = await mergeFile(git, scratchParent, { base, mine, theirs }, ['--diff3', `--marker-size=${size}`, '-L', 'mine', '-L', 'base', '-L', 'theirs']);
  if (code < 0 || code > 127) {
    return null;
  }
  const marker = (char: string) => new RegExp(`^${char.repeat(size)}( |\\r?\\n|$)`);
  const [open, baseMark, middle, close] = [marker('<'), marker('\\|'), marker('='), marker('>')];
  const pieces: Piece[] = [];
  let hunk: { base: string[]; mine: string[]; theirs: string[] } | null = null;
  let side: 'mine' | 'base' | 'theirs' = 'mine';
  let text = '';
  for (const line of output.toString('utf8').split(/(?<=\n)/)) {
    if (hunk === null && open.test(line)) {
      pieces.push({ text });
      text = '';
      hunk = { base: [], mine: [], theirs: [] };
      side = 'mine';
    } else if (hunk !== null && baseMark.test(line)) {
      side = 'base';
    } else if (hunk !== null && middle.test(line)) {
      side = 'theirs';
    } else if (hunk !== null && close.test(line)) {
      pieces.push({ key: String(pieces.filter(piece => 'key' in piece).length + 1), base: hunk.base.join(''), mine: hunk.mine.join(''), theirs: hunk.theirs.join('') });
      hunk = null;
    } else if (hunk !== null) {
      hunk[side].push(line);
    } else {
      text += line;
    }
  }
  pieces.push({ text });
  return pieces;
}

/** The hunks of a line merge that need a pick; null when the versions are not all text. */
export async function conflictingHunks(git: CheckoutGit, scratchParent: string, base: Buffer, mine: Buffer, theirs: Buffer): Promise<TextHunk[] | null> {
  const pieces = await mergePieces(git, scratchParent, base, mine, theirs);
  return pieces === null ? null : pieces.filter((piece): piece is TextHunk => 'key' in piece);
}

/**
 * The line merge with a side picked for each overlapping hunk (by its key), as bytes; null while
 * a hunk has no pick. A side's last line without a newline stays without one.
 */
export async function mergeTextWithPicks(git: CheckoutGit, scratchParent: string, versions: { base: Buffer; mine: Buffer; theirs: Buffer }, picks: ReadonlyMap<string, 'mine' | 'theirs'>): Promise<Buffer | null> {
  const pieces = await mergePieces(git, scratchParent, versions.base, versions.mine, versions.theirs);
  if (pieces === null || pieces.some(piece => 'key' in piece && !picks.has(piece.key))) {
    return null;
  }
  let text = pieces.map(piece => ('key' in piece ? piece[picks.get(piece.key) ?? 'mine'] : piece.text)).join('');
  const [last, tail] = [pieces.at(-2), pieces.at(-1)];
  const endsInHunk = tail !== undefined && 'text' in tail && tail.text === '' && last !== undefined && 'key' in last;
  if (endsInHunk && !versions[picks.get(last.key) ?? 'mine'].toString('utf8').endsWith('\n')) {
    text = text.replace(/\r?\n$/, '');
  }
  return Buffer.from(text, 'utf8');
}
