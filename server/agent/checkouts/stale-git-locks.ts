// Locks git leaves in a checkout's git directory when it is killed mid-command (index.lock,
// HEAD.lock, a ref's .lock): git refuses to run until someone removes them by hand.
import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HUBSHARE_DIR } from './layout';

/** HubShare's own lock lives beside git's and is looked after by checkout-lock. */
const OWN_LOCK = 'hubshare.lock';

/** Where /proc cannot tell whether git still runs, a lock this old is taken as left behind. */
const STALE_AFTER_MS = 10 * 60 * 1000;

/** The `.lock` files under `dir` (and its sub-folders when `deep`), as absolute paths. */
function locksIn(dir: string, deep: boolean): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap(entry => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return deep ? locksIn(path, true) : [];
    }
    return entry.isFile() && entry.name.endsWith('.lock') && entry.name !== OWN_LOCK ? [path] : [];
  });
}

/**
 * Whether a git process runs with its working folder in `root`, read from /proc; undefined
 * where there is no /proc to read (then only the age of a lock tells). Other programs with their
 * folder there (a terminal the user opened in it) do not count.
 */
function gitRunsIn(root: string): boolean | undefined {
  if (!existsSync('/proc/self/cwd')) {
    return undefined;
  }
  const real = realpathSync(root);
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) {
      continue;
    }
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      if ((cwd === real || cwd.startsWith(`${real}/`)) && readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('git')) {
        return true;
      }
    } catch {
      // Gone meanwhile, or another user's process: neither works in this checkout.
    }
  }
  return false;
}

/**
 * Removes the locks a killed git process left in the checkout at `root`. Called only while
 * HubShare's own lock is held, so no HubShare operation runs git here; a git process still
 * running in the checkout (one a killed agent left behind finishing its work) keeps its locks.
 * @returns the locks removed.
 */
export function recoverStaleGitLocks(root: string): string[] {
  const gitDir = join(root, HUBSHARE_DIR);
  const locks = [...locksIn(gitDir, false), ...locksIn(join(gitDir, 'refs'), true)];
  if (locks.length === 0) {
    return [];
  }
  const running = gitRunsIn(root);
  if (running === true) {
    return [];
  }
  const stale = running === false ? locks : locks.filter(lock => Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > STALE_AFTER_MS);
  for (const lock of stale) {
    rmSync(lock, { force: true });
  }
  return stale;
}
