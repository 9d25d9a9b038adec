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

/** Whether a lock file's pid is a process that holds it: this one, or another that still runs. */
function holdsLock(holder: number): boolean {
  return Number.isInteger(holder) && holder > 0 && (holder === process.pid || isRunning(holder));
}

/** How long an operation waits for another one of this process on the same checkout. */
export const IN_PROCESS_WAIT_MS = 15_000;

/** Per checkout root, the end of this process's queue of operations on it. */
const queues = new Map<string, Promise<void>>();

/**
 * Runs `work` holding the checkout's lock, so only one operation at a time touches a checkout
 * (the agent and a terminal may both try). Within this process operations on one checkout take
 * turns (the panel's status read and the conflict picker's reads arrive together): one waits up
 * to `waitMs` for the others before it is refused. Another process's lock refuses at once. A lock
 * left by a process that no longer runs is taken over, and so are the locks a killed git process
 * left in the checkout's git directory.
 * @throws Conflict when another live process holds the lock, or this process's turn did not come.
 */
export async function withCheckoutLock<T>(root: string, work: () => Promise<T>, waitMs = IN_PROCESS_WAIT_MS): Promise<T> {
  const before = queues.get(root) ?? Promise.resolve();
  let done = () => undefined as void;
  const mine = new Promise<void>(resolve => (done = resolve));
  const tail = before.then(() => mine);
  queues.set(root, tail);
  // The queue is gone once its last operation is done — not when a waiter gives up while the
  // one ahead of it still works (the next caller would skip the queue and be refused).
  void tail.then(() => {
    if (queues.get(root) === tail) {
      queues.delete(root);
    }
  });
  let timer: NodeJS.Timeout | undefined;
  const turn = await Promise.race([before.then(() => true), new Promise<false>(resolve => (timer = setTimeout(() => resolve(false), waitMs)))]);
  clearTimeout(timer);
  try {
    if (!turn) {
      throw new Conflict('Another HubShare operation of this server is working on this folder; try again when it has finished.', 'checkout_busy');
    }
    return await holdingFileLock(root, work);
  } finally {
    done();
  }
}

/** Whether another process that still runs holds the checkout's lock file. */
export function lockHeldByLiveProcess(root: string): boolean {
  let holder: number;
  try {
    holder = Number.parseInt(readFileSync(join(root, HUBSHARE_DIR, 'hubshare.lock'), 'utf8'), 10);
  } catch {
    return false;
  }
  return holder !== process.pid && holdsLock(holder);
}

/** Whether an operation of this process works on (or waits for) the checkout at `root`. */
export function busyInThisProcess(root: string): boolean {
  return queues.has(root);
}

async function holdingFileLock<T>(root: string, work: () => Promise<T>): Promise<T> {
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
      if (holdsLock(holder)) {
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
