// What a git killed inside a push leaves in a bare repository: lock files (`refs/heads/main.lock`,
// `HEAD.lock`, `packed-refs.lock`), which make git refuse every later update of those refs, and
// the push's quarantine folder of objects (`objects/tmp_objdir-incoming-*`), which nothing else
// removes. Only the service writes into its repositories, and only through a push; so whoever
// holds a project's turn to push (across replicas: `project-locks.ts`) knows no git works there.
import { lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

const TOP_LOCKS = ['HEAD.lock', 'packed-refs.lock', 'config.lock'];
const QUARANTINE = /^tmp_objdir-incoming-/;


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
 * Removes the lock files and quarantine folders in `gitDir` and answers what it removed (relative
 * to `gitDir`). Only for whoever holds the project's turn to push (see `project-locks.ts`): then
 * no live git holds any of them.
 */
export async function removeStaleLeftovers(gitDir: string): Promise<string[]> {
  const candidates = TOP_LOCKS.map(name => join(gitDir, name));
  await locksUnder(join(gitDir, 'refs'), candidates);
  const objects = await readdir(join(gitDir, 'objects')).catch(() => []);
  candidates.push(...objects.filter(name => QUARANTINE.test(name)).map(name => join(gitDir, 'objects', name)));
  const removed: string[] = [];
  for (const path of candidates) {
    if ((await lstat(path).catch(() => null)) === null) {
      continue;
    }
    await rm(path, { recursive: true, force: true });
    removed.push(path.slice(gitDir.length + 1));
  }
  return removed;
}
