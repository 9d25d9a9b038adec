// What every checkout operation shares: git for a checkout (token only to the service), finding
// the checkout and its remote, committing the folder, fetching with the hostile-tree checks, the
// files waiting for a pick, and undoing an operation's own commits.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BadRequest, Conflict, HubShareError, NotFound } from '../../shared/errors';
import { AgentGitError, CheckoutGit } from '../git/git-runner';
import { hubShareKeys } from '../git/repository-config';
import { type CheckoutOptions, type ConflictedFile, type ConflictKind, type PullState, type ServiceTarget, TRACKING, MAIN } from './checkout-types';
import { DEFAULT_TREE_LIMITS, HUBSHARE_EXCLUDE, inspectTree, stageAll, tooLargeToCheckOut, unsafeRepository } from './hostile-tree';
import { findCheckout, HUBSHARE_DIR, isCheckout, nestedRepositories, pullInProgress } from './layout';
import { forgetPartPicks } from './merge/part-picks';
import { describeRemote, isLoopbackUrl, parseCloneUrl, parseProjectPath, type Remote } from './remote';

/** What `git status` calls each way a file waits for a pick. */
const UNMERGED_KINDS: Record<string, ConflictKind | undefined> = {
  UU: 'both-changed',
  AA: 'both-added',
  DU: 'deleted-by-me',
  UD: 'deleted-by-them',
  AU: 'both-added',
  UA: 'both-added'
};

/** The waiting file an unmerged entry of `git status --porcelain=v2` names (`u XY sub m1 m2 m3 mW h1 h2 h3 path`), or null. */
export function conflictOf(entry: string): ConflictedFile | null {
  if (!entry.startsWith('u ')) {
    return null;
  }
  const fields = entry.split(' ');
  const kind = UNMERGED_KINDS[fields[1]];
  return kind ? { path: fields.slice(10).join(' '), kind } : null;
}

export class CheckoutContext {
  constructor(
    readonly service: ServiceTarget,
    readonly options: CheckoutOptions = {}
  ) {}

  /**
   * git for a checkout. The HubShare token goes only to the HubShare service: a checkout cloned
   * from a URL talks to that URL without it.
   */
  git(root: string, remote: Remote = { kind: 'project', project: '' }): CheckoutGit {
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

  gitUrl(project: string): string {
    return `${this.service.url}/git/${project}.git`;
  }

  requireCheckout(dir: string): string {
    const root = findCheckout(dir, this.options.ceiling);
    if (!root) {
      throw new NotFound(`${resolve(dir)} is not a HubShare checkout.`, 'not_a_checkout');
    }
    return root;
  }

  refuseDuringPull(root: string): void {
    if (pullInProgress(root)) {
      throw new Conflict('A pull is waiting for you to pick mine or theirs: resolve and continue, or abort it.', 'pull_in_progress');
    }
  }

  /**
   * Undoes a pull that was killed after git's merge began and before the pull recorded that it
   * waits for picks (or finished): git is mid-merge, with no record of it. Taken for the user's
   * work, it would be committed with mine for every collision, the other side's colliding edits
   * dropped without asking. The merge is aborted: HEAD is the snapshot of the user's files that
   * pull committed first, and the files go back to it. Called holding the checkout's lock.
   */
  async recoverInterruptedPull(git: CheckoutGit, root: string): Promise<void> {
    if (pullInProgress(root) || !existsSync(join(root, HUBSHARE_DIR, 'MERGE_HEAD'))) {
      return;
    }
    await git.run(['merge', '--abort']);
    forgetPartPicks(root, 'all');
  }

  /** Makes a folder a checkout of `remote`: `.hubshare/` with HubShare's own settings. */
  async initialize(root: string, remote: Remote): Promise<void> {
    if (isCheckout(root)) {
      throw new BadRequest(`${root} is already a HubShare checkout.`, 'already_checkout');
    }
    const git = this.git(root);
    await git.run(['init', '--quiet', '--initial-branch=main']);
    await git.run(remote.kind === 'project' ? ['config', 'hubshare.project', remote.project] : ['config', 'hubshare.url', remote.url]);
    const info = join(root, HUBSHARE_DIR, 'info');
    mkdirSync(info, { recursive: true });
    // git merges nothing by content itself: a file it stops at keeps my version on disk (a
    // notebook stays valid JSON, no conflict markers), the merge engine takes it from there, and
    // bytes are never converted.
    writeFileSync(join(info, 'attributes'), '* -text merge=binary\n');
  }

  /** Where the checkout pulls from, read from HubShare's own keys in its config (no git process). */
  async remoteOf(root: string): Promise<Remote> {
    let keys: { project?: string; url?: string } = {};
    try {
      keys = hubShareKeys(readFileSync(join(root, HUBSHARE_DIR, 'config'), 'utf8'));
    } catch {
      // No config to read: the checks below say what is wrong.
    }
    if (keys.project) {
      return { kind: 'project', project: parseProjectPath(keys.project) };
    }
    return { kind: 'url', url: parseCloneUrl(keys.url ?? '', this.options.allowHttpLoopback ?? false) };
  }

  /** Keeps HubShare's own folder, notebook checkpoints and the user's own repositories out. */
  writeExcludes(root: string): void {
    const lines = [HUBSHARE_EXCLUDE, '.ipynb_checkpoints/', ...nestedRepositories(root).map(path => `/${escapeGlob(path)}/`)];
    writeFileSync(join(root, HUBSHARE_DIR, 'info', 'exclude'), `${lines.join('\n')}\n`);
  }

  /**
   * Commits the folder's state when it differs from `head` (the commit HEAD is at, which the
   * caller has just read: it is not read again) and answers where HEAD is now.
   */
  async commitAll(git: CheckoutGit, root: string, message: string, head: string | null): Promise<string | null> {
    this.writeExcludes(root);
    await stageAll(git);
    const staged = head !== null ? !(await git.succeeds(['diff', '--cached', '--quiet'])) : (await git.run(['ls-files'])).length > 0;
    if (!staged) {
      return head;
    }
    await git.run(['commit', '--quiet', '--no-verify', '-m', message]);
    return this.head(git);
  }

  /** The commit a ref points at, or null when it does not exist yet (an unborn branch, no fetch yet). */
  async commitOf(git: CheckoutGit, ref: string): Promise<string | null> {
    try {
      return (await git.run(['rev-parse', '--verify', '--quiet', ref])).trim() || null;
    } catch {
      return null;
    }
  }

  head(git: CheckoutGit): Promise<string | null> {
    return this.commitOf(git, 'HEAD');
  }

  /** The last known state of the project's main branch, or null before the first fetch. */
  tracking(git: CheckoutGit): Promise<string | null> {
    return this.commitOf(git, TRACKING);
  }

  /**
   * Fetches the project's main branch; false when the project has no commits yet.
   * @throws BadRequest (`unsafe_repository`) when its files hold a `.hubshare` at any depth, or
   *   (`too_large`) more files or bytes than a checkout may hold (the tracking ref then stays
   *   where it was).
   */
  async fetch(git: CheckoutGit, remote: Remote, options: { signal?: AbortSignal } = {}): Promise<boolean> {
    // A project's history is its main branch; a repository from the internet, its default branch.
    const source = remote.kind === 'project' ? MAIN : 'HEAD';
    const url = remote.kind === 'project' ? this.gitUrl(remote.project) : remote.url;
    const before = await this.tracking(git);
    try {
      await git.run(['fetch', git.verbosity, '--no-tags', '--no-recurse-submodules', '--', url, `+${source}:${TRACKING}`], options);
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
      throw found.kind === 'hubshare' ? unsafeRepository(describeRemote(remote), found.path) : tooLargeToCheckOut(describeRemote(remote), limits);
    }
  }

  /** The files a stopped pull waits on, by path. */
  async conflicts(git: CheckoutGit): Promise<ConflictedFile[]> {
    const out = await git.run(['status', '--porcelain=v2', '-z', '--untracked-files=no']);
    return out
      .split('\0')
      .flatMap(entry => conflictOf(entry) ?? [])
      .sort((a, b) => a.path.localeCompare(b.path));
  }

  /** Undoes a commit this operation made, keeping the files as they are. */
  async undoCommit(git: CheckoutGit, before: string | null, after: string | null): Promise<void> {
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
  async restore(git: CheckoutGit, state: PullState): Promise<void> {
    await git.run(['reset', '--hard', '--quiet', state.localSnapshot]);
    await this.undoCommit(git, state.before, state.localSnapshot);
  }

  /** Turns git's failures into sentences for the user. */
  explain(error: unknown): unknown {
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

/** Escapes the characters gitignore patterns treat specially. */
function escapeGlob(path: string): string {
  return path.replace(/[\\*?[\]!#]/g, match => `\\${match}`);
}
