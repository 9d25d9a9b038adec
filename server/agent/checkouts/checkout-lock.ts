import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Conflict } from '../../shared/errors';
import { HUBSHARE_DIR } from './layout';
import { recoverStaleGitLocks } from './stale-git-locks';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `work` holding the checkout's lock, so only one operation at a time touches a checkout
 * (the agent and a terminal may both try). A lock left by a process that no longer runs is taken over,
 * and so are the locks a killed git process left in the checkout's git directory.
 * @throws Conflict when another live process holds the lock.
 */
export async function withCheckoutLock<T>(root: string, work: () => Promise<T>): Promise<T> {
  const lockFile = join(root, HUBSHARE_DIR, 'hubshare.lock');
  for (let attempt = 0; ; attempt += 1) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) {
        throw lockedError(lockFile);
      }
      const holder = Number.parseInt(readFileSync(lockFile, 'utf8'), 10);
      if (Number.isInteger(holder) && holder > 0 && (holder === process.pid || isRunning(holder))) {
        throw lockedError(lockFile);
      }
      rmSync(lockFile, { force: true });
    }
  }
  try {
    recoverStaleGitLocks(root);
    return await work();
  } finally {
    rmSync(lockFile, { force: true });
  }
}

function lockedError(lockFile: string): Conflict {
  let holder = 'another process';
  try {
    holder = `process ${readFileSync(lockFile, 'utf8').trim()}`;
  } catch {
    // The lock went away meanwhile; the caller may simply try again.
  }
  return new Conflict(`Another HubShare operation (${holder}) is working on this folder; try again when it has finished.`, 'checkout_busy');
}
