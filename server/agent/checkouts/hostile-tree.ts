// What a checkout refuses from a tree, or from where it is asked to go, so that no `.hubshare`
// but the checkout's own is ever used as a git directory.
import { BadRequest } from '../../shared/errors';
import type { CheckoutGit } from '../git/git-runner';
import { findCheckout, HUBSHARE_DIR } from './layout';

/**
 * The exclude line that keeps every `.hubshare` (file or folder, at any depth, in any letter case)
 * out of a checkout's history: the checkout's own, and any other, which pushed would become a
 * git directory on someone else's disk. (Without a `/` inside, a gitignore pattern matches at
 * any depth; git matches excludes case-sensitively here, hence the brackets.)
 */
export const HUBSHARE_EXCLUDE = [...HUBSHARE_DIR].map(char => (/[a-z]/.test(char) ? `[${char}${char.toUpperCase()}]` : `[${char}]`)).join('');

/** Whether one path of a tree has a component named `.hubshare` (any case). */
function holdsHubShareFolder(path: string): boolean {
  return path.split('/').some(component => component.toLowerCase() === HUBSHARE_DIR);
}

/** How much one checkout may hold once written out: a few objects can describe millions of files. */
export interface TreeLimits {
  files: number;
  bytes: number;
}

export const DEFAULT_TREE_LIMITS: TreeLimits = { files: 200_000, bytes: 10 * 1024 * 1024 * 1024 };

/** What a tree would be on disk, as far as it was read. */
export type TreeInspection = { kind: 'fine'; files: number; bytes: number } | { kind: 'hubshare'; path: string } | { kind: 'too-large'; files: number; bytes: number };

/**
 * Reads `ref`'s whole tree (`-t`: folders too) as git streams it, stopping at the first path with
 * a `.hubshare` component (any depth, any case) or once it holds more files or bytes than a
 * checkout may write: what is checked out or merged is the tree, and history fetched before may
 * hold one already. Bounded whatever the tree: a tree bomb stops at the limit, not at its end.
 */
export async function inspectTree(git: CheckoutGit, ref: string, limits: TreeLimits): Promise<TreeInspection> {
  let files = 0;
  let bytes = 0;
  let found: TreeInspection | undefined;
  await git.scan(['ls-tree', '-r', '-t', '-l', '-z', '--end-of-options', ref], record => {
    // `<mode> <type> <id> <size>\t<path>`; size is "-" for folders and submodules.
    const tab = record.indexOf('\t');
    const path = record.slice(tab + 1);
    if (holdsHubShareFolder(path)) {
      found = { kind: 'hubshare', path };
      return false;
    }
    const [, type, , size] = record.slice(0, tab).split(/ +/);
    if (type === 'blob') {
      files += 1;
      bytes += Number(size) || 0;
    }
    if (files > limits.files || bytes > limits.bytes) {
      found = { kind: 'too-large', files, bytes };
      return false;
    }
    return true;
  });
  return found ?? { kind: 'fine', files, bytes };
}

/** The BadRequest for a tree larger than a checkout may hold. */
export function tooLargeToCheckOut(source: string, limits: TreeLimits): BadRequest {
  return new BadRequest(
    `${source} holds more than ${limits.files.toLocaleString('en')} files or ${Math.round(limits.bytes / 1024 / 1024).toLocaleString('en')} MB once written out, more than a checkout may hold: HubShare did not write it.`,
    'too_large'
  );
}

/**
 * Stages every change of the work tree, then takes out of the index any `.hubshare` tracked from
 * before the excludes covered every depth (excludes keep out only untracked files); the files stay
 * on disk. Removed by folder, so a whole git directory is one path.
 */
export async function stageAll(git: CheckoutGit): Promise<void> {
  await git.run(['add', '--all', '--', '.']);
  const folders = new Set<string>();
  for (const path of (await git.run(['ls-files', '-z'])).split('\0')) {
    const components = path.split('/');
    const at = components.findIndex(component => component.toLowerCase() === HUBSHARE_DIR);
    if (at >= 0) {
      folders.add(components.slice(0, at + 1).join('/'));
    }
  }
  if (folders.size > 0) {
    await git.run(['rm', '-r', '--cached', '--quiet', '--', ...[...folders].map(folder => `:(literal)${folder}`)]);
  }
}

/** The BadRequest for a repository whose tree holds `path` (a `.hubshare` below the top or at it). */
export function unsafeRepository(source: string, path: string): BadRequest {
  return new BadRequest(
    `${source} holds "${path}", named like the folder where HubShare keeps a checkout's own history: HubShare will not check it out. Rename that folder in the repository.`,
    'unsafe_repository'
  );
}

/**
 * A checkout, clone or publish never goes into a folder inside another checkout: the outer one
 * would take its files, and its `.hubshare`, into the outer project. This looks all the way up,
 * above the agent's root too: refusing there reveals only that a checkout exists.
 * @throws BadRequest (`inside_checkout`) naming the outer checkout.
 */
export function refuseInsideCheckout(root: string): void {
  const outer = findCheckout(root);
  if (outer !== undefined && outer !== root) {
    throw new BadRequest(
      `${root} is inside the HubShare checkout ${outer}; choose a folder outside it (a checkout inside another would push its files, history and all, into the outer project).`,
      'inside_checkout'
    );
  }
}
