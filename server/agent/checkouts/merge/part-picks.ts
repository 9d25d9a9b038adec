// Picks smaller than a file: for a notebook both sides changed, a side per colliding cell (and for
// its metadata); for a text file, a side per overlapping hunk. Picks wait in `.hubshare/` until
// every part of the file has one; then the file is written merged and counts as resolved. Until
// then it holds my bytes, as every waiting file does.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BadRequest } from '../../../shared/errors';
import type { CheckoutGit } from '../../git/git-runner';
import { HUBSHARE_DIR } from '../layout';
import { isNotebookPath, readVersions, type ThreeVersions, writeMerged } from './merge-policy';
import { type CellCollision, mergeNotebooks, type Pick } from './notebook-merge';
import { conflictingHunks, mergeTextWithPicks } from './text-merge';

export type { Pick } from './notebook-merge';

/** One part of a file that needs a pick: a cell, the notebook's metadata, or a hunk of lines. */
export interface ConflictPart {
  key: string;
  kind: CellCollision['kind'] | 'lines';
  base: string | null;
  mine: string | null;
  theirs: string | null;
  /** The side picked so far, if any. */
  pick: Pick | null;
}

/** What a waiting file can be settled by: parts (cells or hunks), or only a pick of the whole file. */
export type ConflictParts = { kind: 'cells' | 'hunks'; parts: ConflictPart[] } | { kind: 'whole'; reason: string };

const PICKS_FILE = 'part-picks.json';

type StoredPicks = Record<string, Record<string, Pick>>;

function picksPath(root: string): string {
  return join(root, HUBSHARE_DIR, PICKS_FILE);
}

function readPicks(root: string): StoredPicks {
  const path = picksPath(root);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as StoredPicks) : {};
}

function writePicks(root: string, picks: StoredPicks): void {
  if (Object.keys(picks).length === 0) {
    rmSync(picksPath(root), { force: true });
  } else {
    writeFileSync(picksPath(root), JSON.stringify(picks));
  }
}

/** Forgets the part picks of some files (a whole-file pick), or of all (continue, abort). */
export function forgetPartPicks(root: string, paths: readonly string[] | 'all'): void {
  if (paths === 'all') {
    writePicks(root, {});
    return;
  }
  const picks = readPicks(root);
  paths.forEach(path => delete picks[path]);
  writePicks(root, picks);
}

async function versionsOf(git: CheckoutGit, root: string, path: string): Promise<ThreeVersions | null> {
  return (await readVersions(git, root, [path])).get(path) ?? null;
}

/** Every part of the file both sides changed differently, with the picks made so far. */
async function allParts(git: CheckoutGit, root: string, path: string, versions: ThreeVersions | null): Promise<ConflictParts> {
  if (versions === null) {
    return { kind: 'whole', reason: 'only one side has it as a regular file' };
  }
  const picked = readPicks(root)[path] ?? {};
  const withPick = (part: Omit<ConflictPart, 'pick'>): ConflictPart => ({ ...part, pick: picked[part.key] ?? null });
  if (isNotebookPath(path)) {
    const result = mergeNotebooks(versions.base.toString('utf8'), versions.mine.toString('utf8'), versions.theirs.toString('utf8'));
    if (result.merged || result.collisions.length === 0) {
      return { kind: 'whole', reason: result.merged ? 'it merges without picks' : result.reason };
    }
    return { kind: 'cells', parts: result.collisions.map(withPick) };
  }
  const hunks = await conflictingHunks(git, join(root, HUBSHARE_DIR), versions.base, versions.mine, versions.theirs);
  if (hunks === null || hunks.length === 0) {
    return { kind: 'whole', reason: 'it is not text' };
  }
  return { kind: 'hunks', parts: hunks.map(hunk => withPick({ ...hunk, kind: 'lines' })) };
}

/** The parts of a waiting file, for the CLI and the conflict picker. */
export async function conflictParts(git: CheckoutGit, root: string, path: string): Promise<ConflictParts> {
  return allParts(git, root, path, await versionsOf(git, root, path));
}

/**
 * Picks a side for one part of a waiting file. Once every part has a pick, the file is written
 * merged and marked resolved.
 * @returns whether the file is now resolved.
 * @throws BadRequest when the file has no such part (naming those it has).
 */
export async function pickPart(git: CheckoutGit, root: string, path: string, key: string, side: Pick): Promise<boolean> {
  const versions = await versionsOf(git, root, path);
  const found = await allParts(git, root, path, versions);
  if (found.kind === 'whole' || versions === null) {
    throw new BadRequest(`${path} can only be picked as a whole (${found.kind === 'whole' ? found.reason : 'no parts'}): use --mine or --theirs without a part.`, 'whole_file_only');
  }
  if (!found.parts.some(part => part.key === key)) {
    const noun = found.kind === 'cells' ? 'cell' : 'hunk';
    throw new BadRequest(`${path} has no ${noun} "${key.slice(0, 80)}" waiting for a pick; it has: ${found.parts.map(part => part.key).join(', ')}.`, 'no_such_part');
  }
  const stored = readPicks(root);
  const picks = new Map(Object.entries({ ...stored[path], [key]: side }));
  const bytes =
    found.kind === 'cells'
      ? mergedNotebook(versions, picks)
      : await mergeTextWithPicks(git, join(root, HUBSHARE_DIR), versions, picks);
  if (bytes === null) {
    writePicks(root, { ...stored, [path]: Object.fromEntries(picks) });
    return false;
  }
  await writeMerged(git, root, [{ path, bytes }]);
  forgetPartPicks(root, [path]);
  return true;
}

function mergedNotebook(versions: ThreeVersions, picks: ReadonlyMap<string, Pick>): Buffer | null {
  const result = mergeNotebooks(versions.base.toString('utf8'), versions.mine.toString('utf8'), versions.theirs.toString('utf8'), picks);
  return result.merged ? Buffer.from(result.text, 'utf8') : null;
}
