// Which files of a stopped pull merge by themselves, and how: notebooks by cell, text by line;
// anything else (binary, not UTF-8, a side deleted or both added it) waits for a pick, as before.
import { lstatSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckoutGit } from '../../git/git-runner';
import { HUBSHARE_DIR } from '../layout';
import { mergeNotebooks } from './notebook-merge';
import { isText, mergeText } from './text-merge';

/** A file both sides changed, as git left it: stages 1 (base), 2 (mine), 3 (theirs) in the index. */
export interface BothChanged {
  path: string;
}

/** What merged by itself: the path, and whether my outputs were kept over theirs. */
export interface MergedFile {
  path: string;
  keptMyOutputs: boolean;
}

const REGULAR = new Set(['100644', '100755']);
const MERGES_AT_ONCE = 4;

/** One stage of an unmerged path in the index. */
interface Stage {
  mode: string;
  id: string;
}

/** The stages of each unmerged path (`git ls-files -u`: `<mode> <id> <stage>\t<path>`). */
async function unmergedStages(git: CheckoutGit): Promise<Map<string, Map<number, Stage>>> {
  const stages = new Map<string, Map<number, Stage>>();
  for (const entry of (await git.run(['ls-files', '-u', '-z'])).split('\0')) {
    const tab = entry.indexOf('\t');
    if (tab > 0) {
      const [mode, id, stage] = entry.slice(0, tab).split(' ');
      const path = entry.slice(tab + 1);
      stages.set(path, (stages.get(path) ?? new Map<number, Stage>()).set(Number(stage), { mode, id }));
    }
  }
  return stages;
}

/** The bytes of many blobs in one `git cat-file --batch` (`<id> <type> <size>\n<bytes>\n` each). */
async function readBlobs(git: CheckoutGit, ids: readonly string[]): Promise<Map<string, Buffer>> {
  const blobs = new Map<string, Buffer>();
  if (ids.length === 0) {
    return blobs;
  }
  const { code, stdout } = await git.answer(['cat-file', '--batch'], ids.map(id => `${id}\n`).join(''));
  if (code !== 0) {
    throw new Error(`git cat-file --batch exited ${code}`);
  }
  let offset = 0;
  for (const id of ids) {
    const newline = stdout.indexOf(0x0a, offset);
    const size = Number(stdout.subarray(offset, newline).toString('latin1').split(' ')[2]);
    blobs.set(id, stdout.subarray(newline + 1, newline + 1 + size));
    offset = newline + 1 + size + 1;
  }
  return blobs;
}

/** Notebooks merge by cell; every other file by line. */
export function isNotebookPath(path: string): boolean {
  return path.toLowerCase().endsWith('.ipynb');
}

/** The merged bytes of one file, or null when it needs a pick. */
async function mergeOne(git: CheckoutGit, root: string, path: string, { base, mine, theirs }: ThreeVersions): Promise<{ bytes: Buffer; keptMyOutputs: boolean } | null> {
  if (isNotebookPath(path)) {
    if (![base, mine, theirs].every(isText)) {
      return null;
    }
    const result = mergeNotebooks(base.toString('utf8'), mine.toString('utf8'), theirs.toString('utf8'));
    return result.merged ? { bytes: Buffer.from(result.text, 'utf8'), keptMyOutputs: result.keptMyOutputs } : null;
  }
  const bytes = await mergeText(git, join(root, HUBSHARE_DIR), base, mine, theirs);
  return bytes === null ? null : { bytes, keptMyOutputs: false };
}

/** The three versions of a file both sides changed. */
export interface ThreeVersions {
  base: Buffer;
  mine: Buffer;
  theirs: Buffer;
}

/**
 * The base, mine and theirs of each path that may merge by content, from one `cat-file --batch`:
 * regular files only, the same mode on every side and a regular file on disk (a symbolic link is
 * never merged, nor written through).
 */
export async function readVersions(git: CheckoutGit, root: string, paths: readonly string[]): Promise<Map<string, ThreeVersions>> {
  const unmerged = await unmergedStages(git);
  const candidates = paths.flatMap(path => {
    const stages = [1, 2, 3].map(stage => unmerged.get(path)?.get(stage));
    const mode = stages[0]?.mode ?? '';
    const whole = stages.every((stage): stage is Stage => stage !== undefined && stage.mode === mode);
    return whole && REGULAR.has(mode) && lstatSync(join(root, path), { throwIfNoEntry: false })?.isFile() === true ? [{ path, ids: stages.map(stage => stage.id) }] : [];
  });
  const blobs = await readBlobs(git, [...new Set(candidates.flatMap(candidate => candidate.ids))]);
  const blob = (id: string) => blobs.get(id) ?? Buffer.alloc(0);
  return new Map(candidates.map(({ path, ids: [base, mine, theirs] }) => [path, { base: blob(base), mine: blob(mine), theirs: blob(theirs) }]));
}

/** Writes merged files over my versions and marks them resolved, in one `git add` (paths on stdin). */
export async function writeMerged(git: CheckoutGit, root: string, files: readonly { path: string; bytes: Buffer }[]): Promise<void> {
  if (files.length === 0) {
    return;
  }
  for (const { path, bytes } of files) {
    writeFileSync(join(root, path), bytes);
  }
  const added = await git.answer(['--literal-pathspecs', 'add', '--pathspec-from-file=-', '--pathspec-file-nul'], files.map(file => file.path).join('\0'));
  if (added.code !== 0) {
    throw new Error(`git add of the merged files exited ${added.code}`);
  }
}

/**
 * Merges each file both sides changed that can merge by content, writes the result over my
 * version and marks it resolved in the index; the others stay as they were (my bytes on disk,
 * waiting for a pick). Nothing on disk ever holds conflict markers.
 * @returns the files merged.
 */
export async function mergeByContent(git: CheckoutGit, root: string, files: readonly BothChanged[]): Promise<MergedFile[]> {
  const candidates = [...(await readVersions(git, root, files.map(file => file.path))).entries()];
  // A few merges at a time: each text merge is one short git process, mostly start-up.
  const results = new Array<{ bytes: Buffer; keptMyOutputs: boolean } | null>(candidates.length).fill(null);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < candidates.length; index = next++) {
      const [path, versions] = candidates[index];
      results[index] = await mergeOne(git, root, path, versions);
    }
  };
  await Promise.all(Array.from({ length: MERGES_AT_ONCE }, worker));
  const merged = candidates.flatMap(([path], index) => {
    const result = results[index];
    return result === null ? [] : [{ path, ...result }];
  });
  await writeMerged(git, root, merged);
  return merged.map(({ path, keptMyOutputs }) => ({ path, keptMyOutputs }));
}
