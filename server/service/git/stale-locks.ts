// What a git killed inside a push leaves in a bare repository: lock files (`refs/heads/main.lock`,
// `HEAD.lock`, `packed-refs.lock`), which make git refuse every later update of those refs, and
// the push's quarantine folder of objects (`objects/tmp_objdir-incoming-*`), which nothing else
// removes. Only the service writes into its repositories, and only through a push; so whoever
// holds a project's turn to push knows that no git of its own works there.
import { lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

const TOP_LOCKS = ['HEAD.lock', 'packed-refs.lock', 'config.lock'];
const QUARANTINE = /^tmp_objdir-incoming-/;

/** A leftover is stale when it is at least this old (0: whatever its age). */
export interface StaleAge {
  olderThanMs: number;
}

/** Which leftovers to look at: ref and HEAD locks, or quarantine folders (a live push keeps one much longer). */
type Kinds = { kinds: 'locks' | 'quarantine' };

/** Each file or folder under `dir` (recursively) whose name ends in `.lock`. */
async function locksUnder(dir: string, found: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      await locksUnder(path, found);
    } else if (entry.name.endsWith('.lock')) {
      found.push(path);
    }
  }
}

/**
 * Removes the lock files and quarantine folders a killed git left in `gitDir` that are older than
 * `age`, and answers what it removed (relative to `gitDir`). A leftover that vanishes meanwhile
 * (git finished with it) is simply not there.
 */
export async function removeStaleLeftovers(gitDir: string, age: StaleAge & Kinds): Promise<string[]> {
  const candidates: string[] = [];
  if (age.kinds === 'locks') {
    candidates.push(...TOP_LOCKS.map(name => join(gitDir, name)));
    await locksUnder(join(gitDir, 'refs'), candidates);
  } else {
    const objects = await readdir(join(gitDir, 'objects')).catch(() => []);
    candidates.push(...objects.filter(name => QUARANTINE.test(name)).map(name => join(gitDir, 'objects', name)));
  }
  const removed: string[] = [];
  const now = Date.now();
  for (const path of candidates) {
    const stats = await lstat(path).catch(() => null);
    if (stats === null || now - stats.mtimeMs < age.olderThanMs) {
      continue;
    }
    await rm(path, { recursive: true, force: true });
    removed.push(path.slice(gitDir.length + 1));
  }
  return removed;
}
