// `hubshare checkout` (a project of the hub) and `hubshare clone` (a repository from the internet)
// into a new or empty folder; a refused one leaves nothing behind.
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BadRequest, NotFound } from '../../shared/errors';
import { AgentGitError } from '../git/git-runner';
import { callService, type ServiceProject } from '../service-client';
import type { CheckoutContext } from './checkout-context';
import { busyInThisProcess, lockHeldByLiveProcess, withCheckoutLock } from './checkout-lock';
import { TRACKING } from './checkout-types';
import { refuseInsideCheckout } from './hostile-tree';
import { HUBSHARE_DIR, PULL_STATE_FILE } from './layout';
import { parseCloneUrl, parseProjectPath, type Remote } from './remote';

const DEFAULT_MAX_CLONE_BYTES = 2 * 1024 * 1024 * 1024;

/**
 * Checks a project out into a new (or empty) folder.
 * @throws NotFound when the project does not exist or is not readable; BadRequest when the folder has files.
 */
export async function checkout(context: CheckoutContext, rawProject: string, dir?: string): Promise<string> {
  const full = parseProjectPath(rawProject);
  await callService<ServiceProject>(context.service, 'GET', `/projects/${full}`);
  const root = resolve(dir ?? full.split('/')[1]);
  refuseInsideCheckout(root);
  requireEmptyFolder(root, 'check out');
  const created = !existsSync(root);
  mkdirSync(root, { recursive: true });
  try {
    await context.initialize(root, { kind: 'project', project: full });
    await withCheckoutLock(root, async () => {
      const git = context.git(root);
      if (await context.fetch(git, { kind: 'project', project: full })) {
        await git.run(['reset', '--hard', '--quiet', TRACKING]);
      }
    });
  } catch (error) {
    undoNewFolder(root, created);
    throw error;
  }
  return root;
}

/**
 * Clones a repository from the internet into a new (or empty) folder, as a checkout that can
 * pull later updates from its URL. Nothing in it runs: no hooks, no submodules, no filters; only
 * https (or http to loopback when allowed); the download is capped.
 * @throws BadRequest for a refused URL or a folder with files; NotFound when nothing is there.
 */
export async function clone(context: CheckoutContext, rawUrl: string, dir: string): Promise<string> {
  const url = parseCloneUrl(rawUrl, context.options.allowHttpLoopback ?? false);
  const root = resolve(dir);
  refuseInsideCheckout(root);
  requireEmptyFolder(root, 'clone');
  const created = !existsSync(root);
  mkdirSync(root, { recursive: true });
  const remote: Remote = { kind: 'url', url };
  try {
    await context.initialize(root, remote);
    await withCheckoutLock(root, async () => {
      const git = context.git(root, remote);
      const limit = context.options.maxCloneBytes ?? DEFAULT_MAX_CLONE_BYTES;
      const abort = new AbortController();
      const watch = setInterval(() => {
        if (tally(join(root, HUBSHARE_DIR)).bytes > limit) {
          abort.abort();
        }
      }, 200);
      const tooLarge = () => new BadRequest(`${url} is larger than the ${Math.max(1, Math.round(limit / 1024 / 1024))} MB a clone may download.`, 'too_large');
      try {
        if (!(await context.fetch(git, remote, { signal: abort.signal }))) {
          throw new NotFound(`There is nothing to clone at ${url}.`, 'empty_repository');
        }
      } catch (error) {
        throw abort.signal.aborted ? tooLarge() : error;
      } finally {
        clearInterval(watch);
      }
      // The watch stops big downloads early; this catches one that finished between two looks.
      if (tally(join(root, HUBSHARE_DIR)).bytes > limit) {
        throw tooLarge();
      }
      await git.run(['reset', '--hard', '--quiet', TRACKING]);
    });
  } catch (error) {
    undoNewFolder(root, created);
    if (error instanceof AgentGitError) {
      throw new BadRequest(`Cloning ${url} failed: ${error.stderr.trim().split('\n').pop() ?? 'git refused it'}`, 'clone_failed');
    }
    throw error;
  }
  return root;
}

/**
 * A checkout or clone may go into a new folder or an empty one — or one holding only what a
 * killed checkout or clone left (`unfinishedCheckout`), which is removed first.
 * @throws BadRequest when the folder holds anything else.
 */
function requireEmptyFolder(root: string, verb: 'check out' | 'clone'): void {
  if (!existsSync(root)) {
    return;
  }
  if (!statSync(root).isDirectory()) {
    throw new BadRequest(`${root} is a file; ${verb} into a new or empty folder.`, 'folder_not_empty');
  }
  const entries = readdirSync(root);
  if (entries.length === 1 && entries[0] === HUBSHARE_DIR && unfinishedCheckout(root)) {
    rmSync(join(root, HUBSHARE_DIR), { recursive: true, force: true });
    return;
  }
  if (entries.length > 0) {
    throw new BadRequest(`${root} already has files in it; ${verb} into a new or empty folder.`, 'folder_not_empty');
  }
}

/**
 * Whether `.hubshare` is what a checkout or clone killed before its first commit left, at any
 * moment from `git init` on: no branch of its own (loose or packed) and no pull under way — so
 * nothing in it was ever the user's. Read as plain files: no git runs in a folder not yet known
 * to be ours.
 */
function unfinishedCheckout(root: string): boolean {
  const dir = join(root, HUBSHARE_DIR);
  const isFile = (name: string) => lstatSync(join(dir, name), { throwIfNoEntry: false })?.isFile() === true;
  // A git directory (not some folder or file of the user's named so), and no operation of this
  // process or another live one at work in it: a checkout under way has no branch yet either.
  if (!lstatSync(dir).isDirectory() || !isFile('HEAD') || !isFile('config') || busyInThisProcess(root) || lockHeldByLiveProcess(root)) {
    return false;
  }
  if (existsSync(join(dir, PULL_STATE_FILE)) || tally(join(dir, 'refs', 'heads')).files > 0) {
    return false;
  }
  let packed = '';
  try {
    packed = readFileSync(join(dir, 'packed-refs'), 'utf8');
  } catch {
    // No packed refs: a new repository.
  }
  return !packed.split('\n').some(line => / refs\/heads\//.test(line));
}

/**
 * Leaves nothing of a refused clone or checkout: the folder it made, or everything it put into
 * a folder that was empty before.
 */
function undoNewFolder(root: string, created: boolean): void {
  if (created) {
    rmSync(root, { recursive: true, force: true });
    return;
  }
  for (const entry of readdirSync(root)) {
    rmSync(join(root, entry), { recursive: true, force: true });
  }
}

/** The files and bytes under a folder (a branch there; the clone size cap, while git writes into it); links are not followed. */
function tally(dir: string): { files: number; bytes: number } {
  const total = { files: 0, bytes: 0 };
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return total;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const inner = tally(path);
      total.files += inner.files;
      total.bytes += inner.bytes;
      continue;
    }
    total.files += 1;
    if (entry.isFile()) {
      // git renames and removes files while it works (a `.lock` becomes the file it locked):
      // one gone between the listing and this look counts nothing.
      total.bytes += lstatSync(path, { throwIfNoEntry: false })?.size ?? 0;
    }
  }
  return total;
}
