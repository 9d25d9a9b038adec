import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { hubShareKeys } from '../git/repository-config';

/**
 * The hidden folder inside a checkout that holds HubShare's history (used as GIT_DIR with the
 * folder as work tree). It is not `.git`, so the user's own git never sees it, and HubShare never
 * reads or writes a `.git` the user keeps.
 */
export const HUBSHARE_DIR = '.hubshare';

/** The file inside HUBSHARE_DIR that marks a pull waiting for picks (and holds what abort needs). */
export const PULL_STATE_FILE = 'hubshare-pull.json';

/** Whether a pull in this checkout is waiting for the user to pick mine or theirs. */
export function pullInProgress(root: string): boolean {
  return existsSync(join(root, HUBSHARE_DIR, PULL_STATE_FILE));
}

/**
 * Where a checkout pulls from, read from its git config file without running git (the listing
 * asks this of every checkout), deciding as the checkouts engine does: a non-empty
 * `hubshare.project` makes it a project's checkout; else a `hubshare.url` makes it a clone from
 * that URL (publishing a clone sets the project, then drops the URL).
 */
export function checkoutSource(root: string): 'project' | 'url' {
  let text: string;
  try {
    text = readFileSync(join(root, HUBSHARE_DIR, 'config'), 'utf8');
  } catch {
    return 'project';
  }
  const { project, url } = hubShareKeys(text);
  return !project && url ? 'url' : 'project';
}

/** The project a checkout pulls from (`owner/name`, as its config says), or null for a clone from a URL. */
export function checkoutProject(root: string): string | null {
  try {
    return hubShareKeys(readFileSync(join(root, HUBSHARE_DIR, 'config'), 'utf8')).project ?? null;
  } catch {
    return null;
  }
}

/** Whether `dir` is the root of a HubShare checkout. */
export function isCheckout(dir: string): boolean {
  return existsSync(join(dir, HUBSHARE_DIR, 'HEAD'));
}

/**
 * The checkout containing `path` (itself or a parent), or undefined. The top-most one wins: a
 * folder inside a checkout is never a checkout of its own, whatever `.hubshare` it holds (one
 * there is only files of the outer checkout, which its excludes keep out of its history).
 * With a `ceiling` (the agent's root, as a real path) nothing above it is looked at.
 */
export function findCheckout(path: string, ceiling?: string): string | undefined {
  let found: string | undefined;
  let current = resolve(path);
  for (;;) {
    if (ceiling !== undefined && relative(ceiling, current).split(sep)[0] === '..') {
      return found;
    }
    if (isCheckout(current)) {
      found = current;
    }
    const parent = dirname(current);
    if (parent === current) {
      return found;
    }
    current = parent;
  }
}

const SCAN_DEPTH = 4;

/** Checkouts at or below `root` (a few levels deep, skipping hidden folders), without the network. */
export function findCheckoutsUnder(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (isCheckout(dir)) {
      found.push(dir);
      return;
    }
    if (depth >= SCAN_DEPTH) {
      return;
    }
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules') {
        walk(join(dir, entry.name), depth + 1);
      }
    }
  };
  walk(resolve(root), 0);
  return found.sort();
}

/**
 * Sub-folders the user manages with git themselves (they hold a `.git` folder or file): HubShare
 * leaves them out entirely. Paths are relative to the checkout, with `/` separators.
 */
export function nestedRepositories(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of entries) {
      if (name.toLowerCase() === HUBSHARE_DIR) {
        continue;
      }
      if (name === '.git') {
        continue;
      }
      const path = join(dir, name);
      // lstat: a symbolic link to a folder is not followed (it may point anywhere).
      if (!lstatSync(path, { throwIfNoEntry: false })?.isDirectory()) {
        continue;
      }
      if (existsSync(join(path, '.git'))) {
        found.push(relative(root, path).split(sep).join('/'));
        continue;
      }
      walk(path);
    }
  };
  walk(root);
  return found.sort();
}
