import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { BadRequest, Conflict, HubShareError, NotFound } from '../../shared/errors';
import { parseProjectName, parseUserName } from '../../shared/names';
import { AgentGitError, CheckoutGit, type GitProgress } from '../git/git-runner';
import { callService, type ServiceProject } from '../service-client';
import { withCheckoutLock } from './checkout-lock';
import { DEFAULT_TREE_LIMITS, HUBSHARE_EXCLUDE, inspectTree, refuseInsideCheckout, stageAll, tooLargeToCheckOut, type TreeLimits, unsafeRepository } from './hostile-tree';
import { refuseWritesIntoUserRepositories } from './user-repositories';
import { mergeByContent, type MergedFile } from './merge/merge-policy';
import { findCheckout, HUBSHARE_DIR, isCheckout, nestedRepositories, PULL_STATE_FILE, pullInProgress } from './layout';

/** The service and the signed-in user, as every operation needs them. */
export interface ServiceTarget {
  url: string;
  token: string;
  userName: string;
}

/** How both sides changed a file that needs a pick. */
export type ConflictKind = 'both-changed' | 'both-added' | 'deleted-by-me' | 'deleted-by-them';

export interface ConflictedFile {
  path: string;
  kind: ConflictKind;
}

/**
 * The outcome of a pull: done, or stopped at files that need a pick (mine or theirs). `merged`
 * lists the files both sides changed that merged by themselves (text by line, notebooks by cell).
 */
export type PullResult =
  | { state: 'up-to-date' }
  | { state: 'updated'; merged: MergedFile[] }
  | { state: 'conflicted'; conflicts: ConflictedFile[]; merged: MergedFile[] };

export type CheckoutState = 'clean' | 'local-changes' | 'behind' | 'ahead' | 'diverged' | 'conflicted';

export interface CheckoutStatus {
  root: string;
  project: string;
  state: CheckoutState;
  /** Files changed here since the last push or pull. */
  changed: string[];
  behind: number;
  ahead: number;
  conflicts: ConflictedFile[];
  /** Who made the latest change on the project's main branch, and when (ISO 8601); null before any. */
  lastChange: { by: string; at: string } | null;
}

/** Where a checkout pulls from: a HubShare project, or a git URL from the internet. */
type Remote = { kind: 'project'; project: string } | { kind: 'url'; url: string };

export interface CheckoutOptions {
  /** Let `clone` use plain http:// to loopback addresses (tests; never for real hosts). */
  allowHttpLoopback?: boolean;
  /** The most a clone from a URL may download, in bytes. */
  maxCloneBytes?: number;
  /** The most files and bytes a fetched tree may write out (checkout, clone, pull). */
  treeLimits?: TreeLimits;
  /** Told how far fetches and pushes have come (the Projects panel shows it). */
  onProgress?: (event: GitProgress) => void;
  /** No checkout above this folder (a real path: the agent's root) is ever found or used. */
  ceiling?: string;
}

const DEFAULT_MAX_CLONE_BYTES = 2 * 1024 * 1024 * 1024;

function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
}

/**
 * Validates a URL to clone from: https, or http to loopback when allowed; no credentials.
 * @throws BadRequest otherwise.
 */
export function parseCloneUrl(raw: string, allowHttpLoopback: boolean): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new BadRequest(`"${raw.slice(0, 200)}" is not a URL.`, 'invalid_url');
  }
  const httpAllowed = url.protocol === 'http:' && allowHttpLoopback && isLoopbackUrl(url.toString());
  if (url.protocol !== 'https:' && !httpAllowed) {
    throw new BadRequest('Only https:// URLs can be cloned.', 'invalid_url');
  }
  if (url.username || url.password) {
    throw new BadRequest('Leave credentials out of the URL; HubShare clones public repositories.', 'invalid_url');
  }
  return url.toString();
}

const MAIN = 'refs/heads/main';
const TRACKING = 'refs/remotes/origin/main';

/** What `abort` needs to restore: HEAD before the pull, and the commit of the files as they were. */
interface PullState {
  before: string | null;
  localSnapshot: string;
}

const UNMERGED_KINDS: Record<string, ConflictKind | undefined> = {
  UU: 'both-changed',
  AA: 'both-added',
  DU: 'deleted-by-me',
  UD: 'deleted-by-them',
  AU: 'both-added',
  UA: 'both-added'
};

/**
 * Checkouts: ordinary folders whose history lives in `.hubshare/` (GIT_DIR) beside the user's
 * files. Every operation holds the checkout's lock, sends the token only in git's environment,
 * and leaves any `.git` the user keeps (at the top or in sub-folders) untouched and untracked.
 */
export class Checkouts {
  constructor(
    private readonly service: ServiceTarget,
    private readonly options: CheckoutOptions = {}
  ) {}

  /**
   * git for a checkout. The HubShare token goes only to the HubShare service: a checkout cloned
   * from a URL talks to that URL without it.
   */
  private git(root: string, remote: Remote = { kind: 'project', project: '' }): CheckoutGit {
    const viaService = remote.kind === 'project';
    const url = viaService ? this.service.url : remote.url;
    const loopbackHttp = url.startsWith('http:') && (viaService || (this.options.allowHttpLoopback && isLoopbackUrl(url)));
    return new CheckoutGit(join(root, HUBSHARE_DIR), root, {
      userName: this.service.userName,
      token: viaService ? this.service.token : undefined,
      allowProtocols: loopbackHttp ? ['https', 'http'] : ['https'],
      onProgress: this.options.onProgress
    });
  }

  private gitUrl(project: string): string {
    return `${this.service.url}/git/${project}.git`;
  }

  private remoteUrl(remote: Remote): string {
    return remote.kind === 'project' ? this.gitUrl(remote.project) : remote.url;
  }

  /**
   * Publishes a folder as a new project of the signed-in user: creates it on the service, commits
   * the folder and pushes. On failure nothing is left behind (no project, no `.hubshare`).
   * @throws BadRequest when the folder is (inside) a checkout already; Conflict when the name is taken.
   */
  async publish(dir: string, options: { name?: string; visibility?: 'private' | 'hub'; message?: string } = {}): Promise<ServiceProject> {
    const root = resolve(dir);
    if (!existsSync(root)) {
      throw new NotFound(`There is no folder ${root}.`, 'no_such_folder');
    }
    refuseInsideCheckout(root);
    if (isCheckout(root) && (await this.remoteOf(root)).kind === 'url') {
      return this.publishClone(root, options);
    }
    if (isCheckout(root)) {
      throw new BadRequest(`${root} is already a HubShare checkout: push instead.`, 'already_checkout');
    }
    const name = parseProjectName(options.name ?? defaultProjectName(root));
    const project = await callService<ServiceProject>(this.service, 'POST', '/projects', {
      name,
      visibility: options.visibility ?? 'private'
    });
    const full = `${project.owner}/${project.name}`;
    try {
      await this.initialize(root, { kind: 'project', project: full });
      await withCheckoutLock(root, async () => {
        const git = this.git(root);
        await this.commitAll(git, root, options.message ?? `Publish ${name}`);
        await git.run(['push', git.verbosity, '--', this.gitUrl(full), `HEAD:${MAIN}`]);
        await git.run(['update-ref', TRACKING, 'HEAD']);
      });
    } catch (error) {
      rmSync(join(root, HUBSHARE_DIR), { recursive: true, force: true });
      await callService(this.service, 'DELETE', `/projects/${full}`).catch(() => undefined);
      throw error;
    }
    return project;
  }

  /** Makes a folder cloned from a URL a project of the signed-in user, history included. */
  private async publishClone(root: string, options: { name?: string; visibility?: 'private' | 'hub' }): Promise<ServiceProject> {
    return withCheckoutLock(root, async () => {
      this.refuseDuringPull(root);
      const name = parseProjectName(options.name ?? defaultProjectName(root));
      const project = await callService<ServiceProject>(this.service, 'POST', '/projects', { name, visibility: options.visibility ?? 'private' });
      const full = `${project.owner}/${project.name}`;
      const git = this.git(root, { kind: 'project', project: full });
      try {
        await this.commitAll(git, root, `Publish ${name}`);
        await git.run(['push', git.verbosity, '--', this.gitUrl(full), `HEAD:${MAIN}`]);
      } catch (error) {
        await callService(this.service, 'DELETE', `/projects/${full}`).catch(() => undefined);
        throw this.explain(error);
      }
      await git.run(['config', 'hubshare.project', full]);
      await git.run(['config', '--unset', 'hubshare.url']);
      await git.run(['update-ref', TRACKING, 'HEAD']);
      return project;
    });
  }

  /**
   * Clones a repository from the internet into a new (or empty) folder, as a checkout that can
   * pull later updates from its URL. Nothing in it runs: no hooks, no submodules, no filters; only
   * https (or http to loopback when allowed); the download is capped.
   * @throws BadRequest for a refused URL or a folder with files; NotFound when nothing is there.
   */
  async clone(rawUrl: string, dir: string): Promise<string> {
    const url = parseCloneUrl(rawUrl, this.options.allowHttpLoopback ?? false);
    const root = resolve(dir);
    refuseInsideCheckout(root);
    if (existsSync(root) && readdirSync(root).length > 0) {
      throw new BadRequest(`${root} already has files in it; clone into a new or empty folder.`, 'folder_not_empty');
    }
    const created = !existsSync(root);
    mkdirSync(root, { recursive: true });
    const remote: Remote = { kind: 'url', url };
    try {
      await this.initialize(root, remote);
      await withCheckoutLock(root, async () => {
        const git = this.git(root, remote);
        const limit = this.options.maxCloneBytes ?? DEFAULT_MAX_CLONE_BYTES;
        const abort = new AbortController();
        const watch = setInterval(() => {
          if (folderSize(join(root, HUBSHARE_DIR)) > limit) {
            abort.abort();
          }
        }, 200);
        const tooLarge = () =>
          new BadRequest(`${url} is larger than the ${Math.max(1, Math.round(limit / 1024 / 1024))} MB a clone may download.`, 'too_large');
        try {
          if (!(await this.fetch(git, remote, { signal: abort.signal }))) {
            throw new NotFound(`There is nothing to clone at ${url}.`, 'empty_repository');
          }
        } catch (error) {
          throw abort.signal.aborted ? tooLarge() : error;
        } finally {
          clearInterval(watch);
        }
        // The watch stops big downloads early; this catches one that finished between two looks.
        if (folderSize(join(root, HUBSHARE_DIR)) > limit) {
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
   * Checks a project out into a new (or empty) folder.
   * @throws NotFound when the project does not exist or is not readable; BadRequest when the folder has files.
   */
  async checkout(rawProject: string, dir?: string): Promise<string> {
    const full = parseProjectPath(rawProject);
    await callService<ServiceProject>(this.service, 'GET', `/projects/${full}`);
    const root = resolve(dir ?? full.split('/')[1]);
    refuseInsideCheckout(root);
    if (existsSync(root) && readdirSync(root).length > 0) {
      throw new BadRequest(`${root} already has files in it; check out into a new or empty folder.`, 'folder_not_empty');
    }
    const created = !existsSync(root);
    mkdirSync(root, { recursive: true });
    try {
      await this.initialize(root, { kind: 'project', project: full });
      await withCheckoutLock(root, async () => {
        const git = this.git(root);
        if (await this.fetch(git, { kind: 'project', project: full })) {
          await git.run(['reset', '--hard', '--quiet', TRACKING]);
        }
      });
    } catch (error) {
      undoNewFolder(root, created);
      throw error;
    }
    return root;
  }

  /** Where the checkout stands against the service (fetches first). */
  async status(dir: string): Promise<CheckoutStatus> {
    const root = this.requireCheckout(dir);
    return withCheckoutLock(root, async () => {
      const remote = await this.remoteOf(root);
      const git = this.git(root, remote);
      const project = this.describe(remote);
      const conflicts = await this.conflicts(git);
      if (conflicts.length > 0 || pullInProgress(root)) {
        return { root, project, state: 'conflicted', changed: [], behind: 0, ahead: 0, conflicts, lastChange: await this.lastChange(git) };
      }
      await this.fetch(git, remote);
      const changed = await this.changedFiles(git, root);
      const { ahead, behind } = await this.aheadBehind(git);
      const mineChanged = ahead > 0 || changed.length > 0;
      const state: CheckoutState =
        mineChanged && behind > 0
          ? 'diverged'
          : behind > 0
            ? 'behind'
            : changed.length > 0
              ? 'local-changes'
              : ahead > 0
                ? 'ahead'
                : 'clean';
      return { root, project, state, changed, behind, ahead, conflicts: [], lastChange: await this.lastChange(git) };
    });
  }

  /**
   * Commits the folder's current state and pushes it. A push that is not a fast-forward changes
   * nothing (the commit is undone) and says to pull first.
   * @throws Conflict (`pull_first`) when someone pushed first; Conflict when a pull is unfinished.
   */
  async push(dir: string, message?: string): Promise<{ pushed: boolean }> {
    const root = this.requireCheckout(dir);
    return withCheckoutLock(root, async () => {
      this.refuseDuringPull(root);
      const remote = await this.remoteOf(root);
      if (remote.kind !== 'project') {
        throw new BadRequest(`This folder was cloned from ${remote.url}; publish it as a project of your own to push.`, 'not_a_project');
      }
      const git = this.git(root, remote);
      const project = remote.project;
      const before = await this.head(git);
      await this.commitAll(git, root, message ?? `Changes by ${this.service.userName}`);
      const after = await this.head(git);
      if (after === null || (after === before && (await this.tracking(git)) === after)) {
        return { pushed: false };
      }
      try {
        await git.run(['push', git.verbosity, '--', this.gitUrl(project), `HEAD:${MAIN}`]);
      } catch (error) {
        await this.undoCommit(git, before, after);
        if (error instanceof AgentGitError && /non-fast-forward|fetch first|rejected/.test(error.stderr)) {
          throw new Conflict('Someone pushed first: pull, then push.', 'pull_first');
        }
        throw this.explain(error);
      }
      await git.run(['update-ref', TRACKING, 'HEAD']);
      return { pushed: true };
    });
  }

  /**
   * Commits local changes, fetches and merges. When both sides changed a file the merge stops
   * with every such file listed; the files on disk stay usable (mine, never conflict markers).
   */
  async pull(dir: string): Promise<PullResult> {
    const root = this.requireCheckout(dir);
    return withCheckoutLock(root, async () => {
      this.refuseDuringPull(root);
      const remote = await this.remoteOf(root);
      const git = this.git(root, remote);
      const project = this.describe(remote);
      const before = await this.head(git);
      await this.commitAll(git, root, `Changes by ${this.service.userName}, before pulling`);
      const localSnapshot = await this.head(git);
      if (!(await this.fetch(git, remote))) {
        await this.undoCommit(git, before, localSnapshot);
        return { state: 'up-to-date' };
      }
      if (localSnapshot !== null && (await git.succeeds(['merge-base', '--is-ancestor', TRACKING, 'HEAD']))) {
        await this.undoCommit(git, before, localSnapshot);
        return { state: 'up-to-date' };
      }
      try {
        await refuseWritesIntoUserRepositories(git, root, localSnapshot, TRACKING);
      } catch (error) {
        await this.undoCommit(git, before, localSnapshot);
        throw error;
      }
      if (localSnapshot === null) {
        await git.run(['reset', '--hard', '--quiet', TRACKING]);
        return { state: 'updated', merged: [] };
      }
      if (await git.succeeds(['merge', '--quiet', '--no-edit', '-m', `Pull updates of ${project}`, TRACKING])) {
        return { state: 'updated', merged: [] };
      }
      const stopped = await this.conflicts(git);
      if (stopped.length === 0) {
        // The merge failed for another reason: put everything back as it was.
        await this.restore(git, { before, localSnapshot });
        throw new HubShareError(500, 'merge_failed', 'Pulling failed; your files are as they were. See the agent log.');
      }
      let merged: MergedFile[];
      try {
        merged = await mergeByContent(git, root, stopped.filter(conflict => conflict.kind === 'both-changed'));
      } catch (error) {
        await this.restore(git, { before, localSnapshot });
        throw error;
      }
      const conflicts = await this.conflicts(git);
      if (conflicts.length === 0) {
        await git.run(['commit', '--quiet', '--no-edit']);
        return { state: 'updated', merged };
      }
      const state: PullState = { before, localSnapshot };
      writeFileSync(join(root, HUBSHARE_DIR, PULL_STATE_FILE), JSON.stringify(state));
      return { state: 'conflicted', conflicts, merged };
    });
  }

  /** Picks mine or theirs for conflicted files (all of them with `paths` = 'all'). */
  async resolve(dir: string, paths: readonly string[] | 'all', side: 'mine' | 'theirs'): Promise<ConflictedFile[]> {
    const root = this.requireCheckout(dir);
    return withCheckoutLock(root, async () => {
      const git = this.git(root);
      const conflicts = await this.conflicts(git);
      const byPath = new Map(conflicts.map(conflict => [conflict.path, conflict]));
      const chosen = paths === 'all' ? conflicts : paths.map(path => {
        const conflict = byPath.get(path);
        if (!conflict) {
          throw new BadRequest(`${path} is not a file waiting for a pick.`, 'not_conflicted');
        }
        return conflict;
      });
      for (const conflict of chosen) {
        const gone = side === 'mine' ? conflict.kind === 'deleted-by-me' : conflict.kind === 'deleted-by-them';
        if (gone) {
          await git.run(['rm', '--quiet', '--force', '--', conflict.path]);
        } else {
          await git.run(['checkout', side === 'mine' ? '--ours' : '--theirs', '--', conflict.path]);
          await git.run(['add', '--', conflict.path]);
        }
      }
      return this.conflicts(git);
    });
  }

  /** Completes a pull once every conflicted file has been picked. @throws Conflict listing what is left. */
  async continue(dir: string): Promise<void> {
    const root = this.requireCheckout(dir);
    await withCheckoutLock(root, async () => {
      const git = this.git(root);
      const left = await this.conflicts(git);
      if (left.length > 0) {
        throw new Conflict(`Pick mine or theirs first for: ${left.map(c => c.path).join(', ')}.`, 'conflicts_left');
      }
      if (!pullInProgress(root)) {
        throw new BadRequest('There is no pull to finish here.', 'no_pull');
      }
      await git.run(['commit', '--quiet', '--no-edit']);
      rmSync(join(root, HUBSHARE_DIR, PULL_STATE_FILE));
    });
  }

  /** Cancels an unfinished pull: every file is back exactly as before the pull, local edits included. */
  async abort(dir: string): Promise<void> {
    const root = this.requireCheckout(dir);
    await withCheckoutLock(root, async () => {
      const stateFile = join(root, HUBSHARE_DIR, PULL_STATE_FILE);
      if (!existsSync(stateFile)) {
        throw new BadRequest('There is no pull to cancel here.', 'no_pull');
      }
      const state = JSON.parse(readFileSync(stateFile, 'utf8')) as PullState;
      await this.restore(this.git(root), state);
      rmSync(stateFile);
    });
  }

  /**
   * One side of a conflicted file, for a side-by-side preview: mine as it was before the pull,
   * or theirs as pushed. Read from git's index, so a pick already made on disk does not change it.
   * @throws BadRequest when the file is not conflicted; NotFound when that side deleted it.
   */
  async version(dir: string, path: string, side: 'mine' | 'theirs'): Promise<Buffer> {
    const root = this.requireCheckout(dir);
    const git = this.git(root);
    const conflict = (await this.conflicts(git)).find(candidate => candidate.path === path);
    if (!conflict) {
      throw new BadRequest(`${path} is not a file waiting for a pick.`, 'not_conflicted');
    }
    if (side === 'theirs' && conflict.kind === 'deleted-by-them') {
      throw new NotFound(`${path} was deleted on the other side.`, 'deleted_by_them');
    }
    if (side === 'mine' && conflict.kind === 'deleted-by-me') {
      throw new NotFound(`${path} was deleted here before the pull.`, 'deleted_by_me');
    }
    // Stage 2 is mine (ours), stage 3 theirs.
    return git.blob(`:${side === 'mine' ? 2 : 3}:${path}`);
  }

  // — internals —

  private requireCheckout(dir: string): string {
    const root = findCheckout(dir, this.options.ceiling);
    if (!root) {
      throw new NotFound(`${resolve(dir)} is not a HubShare checkout.`, 'not_a_checkout');
    }
    return root;
  }

  private refuseDuringPull(root: string): void {
    if (pullInProgress(root)) {
      throw new Conflict('A pull is waiting for you to pick mine or theirs: resolve and continue, or abort it.', 'pull_in_progress');
    }
  }

  private async initialize(root: string, remote: Remote): Promise<void> {
    if (isCheckout(root)) {
      throw new BadRequest(`${root} is already a HubShare checkout.`, 'already_checkout');
    }
    const git = this.git(root);
    await git.run(['init', '--quiet', '--initial-branch=main']);
    await git.run(remote.kind === 'project' ? ['config', 'hubshare.project', remote.project] : ['config', 'hubshare.url', remote.url]);
    const info = join(root, HUBSHARE_DIR, 'info');
    mkdirSync(info, { recursive: true });
    // Every file merges as a whole: a conflicted file keeps my version on disk (a notebook stays
    // valid JSON), and bytes are never converted.
    writeFileSync(join(info, 'attributes'), '* -text merge=binary\n');
  }

  private async remoteOf(root: string): Promise<Remote> {
    const git = this.git(root);
    const project = (await git.run(['config', '--default', '', '--get', 'hubshare.project'])).trim();
    if (project) {
      return { kind: 'project', project: parseProjectPath(project) };
    }
    return { kind: 'url', url: parseCloneUrl((await git.run(['config', '--get', 'hubshare.url'])).trim(), this.options.allowHttpLoopback ?? false) };
  }

  private describe(remote: Remote): string {
    return remote.kind === 'project' ? remote.project : remote.url;
  }

  /** Keeps HubShare's own folder, notebook checkpoints and the user's own repositories out. */
  private writeExcludes(root: string): void {
    const lines = [HUBSHARE_EXCLUDE, '.ipynb_checkpoints/', ...nestedRepositories(root).map(path => `/${escapeGlob(path)}/`)];
    writeFileSync(join(root, HUBSHARE_DIR, 'info', 'exclude'), `${lines.join('\n')}\n`);
  }

  private async commitAll(git: CheckoutGit, root: string, message: string): Promise<void> {
    this.writeExcludes(root);
    await stageAll(git);
    const hasHead = (await this.head(git)) !== null;
    const staged = hasHead ? !(await git.succeeds(['diff', '--cached', '--quiet'])) : (await git.run(['ls-files'])).length > 0;
    if (staged) {
      await git.run(['commit', '--quiet', '--no-verify', '-m', message]);
    }
  }

  /** The commit a ref points at, or null when it does not exist yet (an unborn branch, no fetch yet). */
  private async commitOf(git: CheckoutGit, ref: string): Promise<string | null> {
    try {
      return (await git.run(['rev-parse', '--verify', '--quiet', ref])).trim() || null;
    } catch {
      return null;
    }
  }

  private head(git: CheckoutGit): Promise<string | null> {
    return this.commitOf(git, 'HEAD');
  }

  /**
   * Fetches the project's main branch; false when the project has no commits yet.
   * @throws BadRequest (`unsafe_repository`) when its files hold a `.hubshare` at any depth, or
   *   (`too_large`) more files or bytes than a checkout may hold (the tracking ref then stays
   *   where it was).
   */
  private async fetch(git: CheckoutGit, remote: Remote, options: { signal?: AbortSignal } = {}): Promise<boolean> {
    // A project's history is its main branch; a repository from the internet, its default branch.
    const source = remote.kind === 'project' ? MAIN : 'HEAD';
    const before = await this.tracking(git);
    try {
      await git.run(['fetch', git.verbosity, '--no-tags', '--no-recurse-submodules', '--', this.remoteUrl(remote), `+${source}:${TRACKING}`], options);
    } catch (error) {
      if (error instanceof AgentGitError && /couldn't find remote ref|Couldn't find remote ref/.test(error.stderr)) {
        return false;
      }
      throw this.explain(error);
    }
    await this.refuseUnsafeTree(git, remote, before);
    return true;
  }

  /**
   * A checkout's history lives in its `.hubshare` folder: a tree with a `.hubshare` of its own at
   * the top would replace that folder's files (its git config among them); one below would be a
   * git directory waiting for a `hubshare` run in its folder. Such a tree is never checked out or
   * merged: the tracking ref goes back to what it was and the user is told why. So is a tree
   * that would write out more than `treeLimits` (a few objects can describe millions of files).
   */
  private async refuseUnsafeTree(git: CheckoutGit, remote: Remote, before: string | null): Promise<void> {
    const limits = this.options.treeLimits ?? DEFAULT_TREE_LIMITS;
    const found = await inspectTree(git, TRACKING, limits);
    if (found.kind !== 'fine') {
      await git.run(before === null ? ['update-ref', '-d', TRACKING] : ['update-ref', TRACKING, before]);
      throw found.kind === 'hubshare' ? unsafeRepository(this.describe(remote), found.path) : tooLargeToCheckOut(this.describe(remote), limits);
    }
  }

  /** The author and time of the latest commit on the project's main branch, as last fetched. */
  private async lastChange(git: CheckoutGit): Promise<{ by: string; at: string } | null> {
    if ((await this.tracking(git)) === null) {
      return null;
    }
    const [by, at] = (await git.run(['log', '-1', '--format=%an%x00%aI', TRACKING])).trim().split('\0');
    return by && at ? { by, at } : null;
  }

  /** The last known state of the project's main branch, or null before the first fetch. */
  private tracking(git: CheckoutGit): Promise<string | null> {
    return this.commitOf(git, TRACKING);
  }

  private async aheadBehind(git: CheckoutGit): Promise<{ ahead: number; behind: number }> {
    const head = await this.head(git);
    const tracking = await this.tracking(git);
    if (head === null || tracking === null) {
      // One side has no history yet: the other is simply ahead (counted as one step).
      return { ahead: head !== null ? 1 : 0, behind: head === null && tracking !== null ? 1 : 0 };
    }
    const [ahead, behind] = (await git.run(['rev-list', '--left-right', '--count', `HEAD...${TRACKING}`])).trim().split(/\s+/).map(Number);
    return { ahead, behind };
  }

  private async changedFiles(git: CheckoutGit, root: string): Promise<string[]> {
    this.writeExcludes(root);
    const out = await git.run(['status', '--porcelain=v1', '-z', '--untracked-files=all']);
    return out
      .split('\0')
      .filter(entry => entry.length > 3)
      .map(entry => entry.slice(3));
  }

  private async conflicts(git: CheckoutGit): Promise<ConflictedFile[]> {
    const out = await git.run(['status', '--porcelain=v2', '-z', '--untracked-files=no']);
    const conflicts: ConflictedFile[] = [];
    for (const entry of out.split('\0')) {
      if (!entry.startsWith('u ')) {
        continue;
      }
      const fields = entry.split(' ');
      const kind = UNMERGED_KINDS[fields[1]];
      const path = fields.slice(10).join(' ');
      if (kind) {
        conflicts.push({ path, kind });
      }
    }
    return conflicts.sort((a, b) => a.path.localeCompare(b.path));
  }

  /** Undoes a commit this operation made, keeping the files as they are. */
  private async undoCommit(git: CheckoutGit, before: string | null, after: string | null): Promise<void> {
    if (after === null || after === before) {
      return;
    }
    if (before === null) {
      await git.run(['update-ref', '-d', 'HEAD']);
      await git.run(['rm', '-r', '--cached', '--quiet', '--', '.']);
    } else {
      await git.run(['reset', '--mixed', '--quiet', before]);
    }
  }

  /** Puts the files back as they were before a pull (the snapshot), then the history too. */
  private async restore(git: CheckoutGit, state: PullState): Promise<void> {
    await git.run(['reset', '--hard', '--quiet', state.localSnapshot]);
    await this.undoCommit(git, state.before, state.localSnapshot);
  }

  /** Turns git's failures into sentences for the user. */
  private explain(error: unknown): unknown {
    if (!(error instanceof AgentGitError)) {
      return error;
    }
    // git's own words for HTTP answers (not any "404" in its output: a port, a time, a file name).
    if (/returned error: 403\b/.test(error.stderr)) {
      return new HubShareError(403, 'insufficient_level', 'You can read this project but not push to it; ask its owner for write access.');
    }
    if (/returned error: 404\b|repository '[^']*' not found/.test(error.stderr)) {
      return new NotFound('The project is gone, or you no longer have access to it.', 'no_such_project');
    }
    if (/returned error: 401\b|Authentication failed|could not read Username/.test(error.stderr)) {
      return new HubShareError(401, 'unauthorized', 'The HubShare service did not accept your token; sign in again.');
    }
    return error;
  }
}

/** Validates `owner/name`. @throws BadRequest otherwise. */
export function parseProjectPath(raw: string): string {
  const parts = raw.split('/');
  if (parts.length !== 2) {
    throw new BadRequest(`"${raw.slice(0, 80)}" is not a project: write it as OWNER/NAME.`, 'invalid_project');
  }
  return `${parseUserName(parts[0])}/${parseProjectName(parts[1])}`;
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

/** The folder a clone goes to when none is named: the repository's name. */
export function cloneFolderName(rawUrl: string): string {
  try {
    return basename(new URL(rawUrl).pathname).replace(/\.git$/, '') || 'clone';
  } catch {
    return 'clone';
  }
}

/** A project name made from a folder name: lower case, other characters turned into dashes. */
function defaultProjectName(root: string): string {
  return basename(root).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '').slice(0, 63);
}

/** The bytes under a folder (for the clone size cap); links are not followed. */
function folderSize(dir: string): number {
  let total = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      total += folderSize(path);
    } else if (entry.isFile()) {
      total += lstatSync(path).size;
    }
  }
  return total;
}

/** Escapes the characters gitignore patterns treat specially. */
function escapeGlob(path: string): string {
  return path.replace(/[\\*?[\]!#]/g, match => `\\${match}`);
}
