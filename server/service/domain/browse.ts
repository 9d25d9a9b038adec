import { createTwoFilesPatch } from 'diff';
import type { Writable } from 'node:stream';
import { BadRequest, NotFound } from '../../shared/errors';
import { parseRef, parseRepoPath, type RefName, type RepoPath } from '../../shared/repo-paths';
import { type ObjectInfo, OBJECT_ID, type ObjectReader, type ObjectSource } from '../git/object-reader';
import { type CommitObject, type EntryKind, parseCommit, parseTagTarget, parseTree, type Signature, type TreeEntry } from '../git/objects';
import { readRefs } from '../git/refs';
import type { Repositories } from '../git/repositories';
import type { ReadableProject } from './projects';
import { ObjectCache } from './object-cache';
import { WalkBudget } from './walk-budget';

/** One file or folder, as the browse API shows it. */
export interface EntryView {
  name: string;
  path: string;
  type: EntryKind;
  mode: string;
  id: string;
  /** Bytes, for files and symlinks. */
  size?: number;
}

export interface CommitView {
  id: string;
  parents: string[];
  author: Signature;
  committer: Signature;
  /** The first line of the message. */
  subject: string;
  message: string;
}

export interface FileChange {
  path: string;
  status: 'added' | 'deleted' | 'modified' | 'type-changed';
  oldId: string | null;
  newId: string | null;
  binary: boolean;
  /** A unified diff for text files, unless too large (then `patchOmitted` says why). */
  patch?: string;
  patchOmitted?: 'binary' | 'too-large';
}

export interface BlobHandle {
  id: string;
  size: number;
  name: string;
  /** Streams the bytes into `destination`. */
  send(destination: Writable): Promise<void>;
}

export interface LogQuery {
  ref?: unknown;
  path?: unknown;
  limit?: unknown;
  cursor?: unknown;
}

export interface DiffQuery {
  from?: unknown;
  to?: unknown;
  path?: unknown;
}

const DEFAULT_LOG_LIMIT = 30;
const MAX_LOG_LIMIT = 200;
/** How many commits one log request may visit, so a request can never walk forever. */
const MAX_LOG_WALK = 20_000;

/** How far one answer may walk git's objects (see WalkBudget): entries visited and time. */
export interface BrowseLimits {
  /** Tree entries one diff may compare. */
  diffEntries: number;
  /** Entries one folder listing may hold. */
  folderEntries: number;
  /** The time one walk (a diff, a listing, a log) may take. */
  walkMs: number;
}

export const DEFAULT_BROWSE_LIMITS: BrowseLimits = { diffEntries: 200_000, folderEntries: 100_000, walkMs: 10_000 };
/** Text diffs of files larger than this are omitted. */
const MAX_PATCH_BYTES = 512 * 1024;
/** Lines a text diff may edit, and how long it may take, before it is given up as too large. */
const MAX_EDIT_LENGTH = 20_000;
const MAX_DIFF_MS = 500;
/** All patches of one answer together. */
const MAX_DIFF_TOTAL_MS = 3_000;
/** Total patch text of one diff answer. */
const MAX_DIFF_BYTES = 4 * 1024 * 1024;

/** git's heuristic: a NUL byte in the first 8000 bytes means binary. */
function isBinary(data: Buffer): boolean {
  return data.subarray(0, 8000).includes(0);
}

function joinPath(base: string, name: string): string {
  return base ? `${base}/${name}` : name;
}

/**
 * Reading pushed content without a work tree: refs from the repository's files, objects through
 * the pooled `cat-file` processes. Every answer is computed from git's objects, so it equals what
 * `git ls-tree`, `git cat-file` and `git log` say.
 */
export class Browse {
  private readonly trees = new ObjectCache<TreeEntry[]>(500_000, entries => entries.length);
  private readonly commits = new ObjectCache<CommitObject>(20_000);

  constructor(
    private readonly repositories: Repositories,
    private readonly reader: ObjectReader,
    private readonly limits: BrowseLimits = DEFAULT_BROWSE_LIMITS
  ) {}

  /** Branches and tags with their commits, and the default branch. */
  async refs(target: ReadableProject) {
    const gitDir = this.gitDir(target);
    const snapshot = await readRefs(gitDir);
    const commitOf = (source: ObjectSource, name: string, id: string) =>
      name.startsWith('refs/tags/') && !snapshot.peeled.has(name) ? this.peel(source, id) : (snapshot.peeled.get(name) ?? id);
    const list = (source: ObjectSource, prefix: string) =>
      Promise.all(
        [...snapshot.refs]
          .filter(([name]) => name.startsWith(prefix))
          .sort(([a], [b]) => a.localeCompare(b))
          .map(async ([name, id]) => ({ name: name.slice(prefix.length), commit: await commitOf(source, name, id) }))
      );
    const head = snapshot.head ? (snapshot.refs.get(snapshot.head) ?? null) : null;
    const [branches, tags] = await this.reader.with(gitDir, source => Promise.all([list(source, 'refs/heads/'), list(source, 'refs/tags/')]));
    return { defaultBranch: snapshot.head?.slice('refs/heads/'.length) ?? null, head, branches, tags };
  }

  /** The commit an annotated tag (or a chain of them) names; the id itself for anything else. */
  private async peel(source: ObjectSource, id: string): Promise<string> {
    let current = id;
    for (let depth = 0; depth < 5; depth++) {
      const object = await source.read(current);
      const target = object?.info.type === 'tag' ? parseTagTarget(object.data) : null;
      if (!target) {
        return current;
      }
      current = target;
    }
    return current;
  }

  /** The file or folder at `path` in `ref`: its entry, and for a folder its entries. */
  async tree(target: ReadableProject, rawRef: unknown, rawPath: unknown) {
    const ref = parseRef(rawRef);
    const path = parseRepoPath(rawPath);
    return this.reader.with(this.gitDir(target), async source => {
      const commit = await this.resolve(target, source, ref);
      const entry = await this.entryAt(source, commit, path, ref);
      if (entry.type !== 'tree') {
        return { ref, commit, entry, entries: null };
      }
      const children = await this.readTree(source, entry.id);
      await new WalkBudget({ entries: this.limits.folderEntries, ms: this.limits.walkMs }, 'This folder').visit(children.length);
      const sizes = await Promise.all(children.map(child => (child.kind === 'tree' || child.kind === 'submodule' ? null : source.info(child.id))));
      const entries = children.map((child, index) => this.entryView(child, joinPath(path, child.name), sizes[index]));
      return { ref, commit, entry, entries };
    });
  }

  /**
   * The file at `path` in `ref`, ready to be sent.
   * @throws NotFound when there is no such file (or it is a folder).
   */
  async blob(target: ReadableProject, rawRef: unknown, rawPath: unknown): Promise<BlobHandle> {
    const ref = parseRef(rawRef);
    const path = parseRepoPath(rawPath);
    const gitDir = this.gitDir(target);
    const entry = await this.reader.with(gitDir, async source => this.entryAt(source, await this.resolve(target, source, ref), path, ref));
    if (entry.type === 'tree' || entry.type === 'submodule' || entry.size === undefined) {
      throw new NotFound(`"${path || '/'}" is a folder, not a file.`, 'not_a_file');
    }
    return {
      id: entry.id,
      size: entry.size,
      name: entry.name,
      send: destination =>
        this.reader.with(gitDir, source =>
          source.stream(entry.id, destination, info => {
            if (!info) {
              throw new NotFound('The file vanished from the repository.', 'no_such_path');
            }
          })
        )
    };
  }

  /** Commits reachable from `ref` (newest first), optionally only those that changed `path`. */
  async log(target: ReadableProject, query: LogQuery) {
    const ref = query.ref === undefined ? ('HEAD' as RefName) : parseRef(query.ref);
    const path = parseRepoPath(query.path);
    const limit = query.limit === undefined ? DEFAULT_LOG_LIMIT : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LOG_LIMIT) {
      throw new BadRequest(`"limit" must be a whole number from 1 to ${MAX_LOG_LIMIT}.`, 'invalid_limit');
    }
    const cursor = query.cursor === undefined || query.cursor === '' ? null : String(query.cursor);
    if (cursor !== null && !OBJECT_ID.test(cursor)) {
      throw new BadRequest('"cursor" must be the "next" value of an earlier answer.', 'invalid_cursor');
    }
    return this.reader.with(this.gitDir(target), async source => {
      const start = await this.resolve(target, source, ref);
      const commits: CommitView[] = [];
      let passedCursor = cursor === null;
      let more = false;
      const queue: { id: string; commit: CommitObject }[] = [];
      const seen = new Set<string>();
      const push = async (id: string) => {
        if (!seen.has(id)) {
          seen.add(id);
          const item = { id, commit: await this.readCommit(source, id) };
          // Newest committer date first, as `git log` walks; ties by id for a stable order.
          const at = queue.findIndex(
            other => other.commit.committer.date < item.commit.committer.date || (other.commit.committer.date === item.commit.committer.date && other.id > id)
          );
          queue.splice(at < 0 ? queue.length : at, 0, item);
        }
      };
      await push(start);
      const budget = new WalkBudget({ entries: MAX_LOG_WALK + 1, ms: this.limits.walkMs }, 'This history');
      while (queue.length > 0 && seen.size <= MAX_LOG_WALK) {
        const next = queue.shift();
        if (!next) {
          break;
        }
        await budget.visit();
        for (const parent of next.commit.parents) {
          await push(parent);
        }
        if (path && !(await this.touches(source, next.commit, path))) {
          continue;
        }
        if (!passedCursor) {
          passedCursor = next.id === cursor;
          continue;
        }
        if (commits.length === limit) {
          more = true;
          break;
        }
        commits.push(this.commitView(next.id, next.commit));
      }
      if (!passedCursor) {
        throw new BadRequest('"cursor" is not part of this history.', 'invalid_cursor');
      }
      return { ref, commits, next: more ? commits[commits.length - 1].id : null };
    });
  }

  /** What changed between two commits (by default: the latest commit and its parent). */
  async diff(target: ReadableProject, query: DiffQuery) {
    const toRef = query.to === undefined ? ('HEAD' as RefName) : parseRef(query.to);
    const fromRef = query.from === undefined ? null : parseRef(query.from);
    const path = parseRepoPath(query.path);
    return this.reader.with(this.gitDir(target), async source => {
      const to = await this.resolve(target, source, toRef);
      const toCommit = await this.readCommit(source, to);
      const from = fromRef ? await this.resolve(target, source, fromRef) : (toCommit.parents[0] ?? null);
      const fromTree = from ? await this.subtree(source, (await this.readCommit(source, from)).tree, path) : null;
      const toTree = await this.subtree(source, toCommit.tree, path);
      const changes: FileChange[] = [];
      const walk = new WalkBudget({ entries: this.limits.diffEntries, ms: this.limits.walkMs }, 'This change');
      await this.compareTrees(source, fromTree, toTree, path, changes, walk);
      let budget = MAX_DIFF_BYTES;
      const deadline = Date.now() + MAX_DIFF_TOTAL_MS;
      for (const change of changes) {
        budget -= Date.now() < deadline ? await this.addPatch(source, change, budget) : this.omit(change);
      }
      return { from, to, path, files: changes };
    });
  }

  private gitDir(target: ReadableProject): string {
    return this.repositories.pathOf(target.project.id);
  }

  /** @throws NotFound when the ref does not exist (or the project has no commits yet). */
  private async resolve(target: ReadableProject, source: ObjectSource, ref: RefName): Promise<string> {
    let id: string | undefined;
    if (OBJECT_ID.test(ref)) {
      id = ref;
    } else {
      const snapshot = await readRefs(this.gitDir(target));
      const name = ref === 'HEAD' ? snapshot.head : null;
      id = name ? snapshot.refs.get(name) : (snapshot.refs.get(`refs/heads/${ref}`) ?? snapshot.refs.get(`refs/tags/${ref}`));
    }
    // Peel annotated tags down to the commit they name.
    for (let depth = 0; id && depth < 5; depth++) {
      const object = await source.read(id);
      if (object?.info.type === 'commit') {
        this.commits.set(id, parseCommit(object.data));
        return id;
      }
      id = object?.info.type === 'tag' ? (parseTagTarget(object.data) ?? undefined) : undefined;
    }
    throw new NotFound(
      ref === 'HEAD' ? 'This project has no pushed content yet.' : `This project has no branch, tag or commit "${ref}".`,
      'no_such_ref'
    );
  }

  private async readCommit(source: ObjectSource, id: string): Promise<CommitObject> {
    const cached = this.commits.get(id);
    if (cached) {
      return cached;
    }
    const object = await source.read(id);
    if (object?.info.type !== 'commit') {
      throw new NotFound(`The repository has no commit ${id}.`, 'no_such_commit');
    }
    const commit = parseCommit(object.data);
    this.commits.set(id, commit);
    return commit;
  }

  private async readTree(source: ObjectSource, id: string): Promise<TreeEntry[]> {
    const cached = this.trees.get(id);
    if (cached) {
      return cached;
    }
    const object = await source.read(id);
    if (object?.info.type !== 'tree') {
      throw new NotFound(`The repository has no tree ${id}.`, 'no_such_tree');
    }
    const entries = parseTree(object.data);
    this.trees.set(id, entries);
    return entries;
  }

  /** The entry a path names in a commit; the root is a tree entry with an empty name. */
  private async entryAt(source: ObjectSource, commitId: string, path: RepoPath, ref: string): Promise<EntryView> {
    const commit = await this.readCommit(source, commitId);
    let entry: TreeEntry = { name: '', mode: '040000', kind: 'tree', id: commit.tree };
    for (const name of path ? path.split('/') : []) {
      const found = entry.kind === 'tree' ? (await this.readTree(source, entry.id)).find(child => child.name === name) : undefined;
      if (!found) {
        throw new NotFound(`There is no "${path}" in ${ref}.`, 'no_such_path');
      }
      entry = found;
    }
    return this.entryView(entry, path, entry.kind === 'tree' || entry.kind === 'submodule' ? null : await source.info(entry.id));
  }

  private entryView(entry: TreeEntry, path: string, info: ObjectInfo | null): EntryView {
    return { name: entry.name, path, type: entry.kind, mode: entry.mode, id: entry.id, ...(info ? { size: info.size } : {}) };
  }

  private commitView(id: string, commit: CommitObject): CommitView {
    return {
      id,
      parents: commit.parents,
      author: commit.author,
      committer: commit.committer,
      subject: commit.message.split('\n')[0] ?? '',
      message: commit.message
    };
  }

  /** The id of the object at `path` in a tree, or null. */
  private async idAt(source: ObjectSource, treeId: string, path: string): Promise<string | null> {
    const names = path.split('/');
    let id = treeId;
    for (const [index, name] of names.entries()) {
      const found = (await this.readTree(source, id)).find(child => child.name === name);
      if (!found || (found.kind !== 'tree' && index < names.length - 1)) {
        return null;
      }
      id = found.id;
    }
    return id;
  }

  /** Whether a commit changed `path` compared with every one of its parents (git's TREESAME). */
  private async touches(source: ObjectSource, commit: CommitObject, path: string): Promise<boolean> {
    const mine = await this.idAt(source, commit.tree, path);
    if (commit.parents.length === 0) {
      return mine !== null;
    }
    for (const parent of commit.parents) {
      if ((await this.idAt(source, (await this.readCommit(source, parent)).tree, path)) === mine) {
        return false;
      }
    }
    return true;
  }

  /** The entries under `path` as a pseudo-tree: a folder's entries, or a file alone. */
  private async subtree(source: ObjectSource, treeId: string, path: RepoPath): Promise<TreeEntry[] | null> {
    if (!path) {
      return this.readTree(source, treeId);
    }
    const parentPath = path.split('/').slice(0, -1).join('/');
    const name = path.split('/').pop() ?? '';
    const parentId = parentPath ? await this.idAt(source, treeId, parentPath) : treeId;
    if (!parentId) {
      return null;
    }
    const parent = await this.readTree(source, parentId).catch(() => []);
    const entry = parent.find(child => child.name === name);
    if (!entry) {
      return null;
    }
    return entry.kind === 'tree' ? this.readTree(source, entry.id) : [{ ...entry, name: '' }];
  }

  private async compareTrees(
    source: ObjectSource,
    before: TreeEntry[] | null,
    after: TreeEntry[] | null,
    base: string,
    changes: FileChange[],
    walk: WalkBudget
  ): Promise<void> {
    const old = new Map((before ?? []).map(entry => [entry.name, entry]));
    const now = new Map((after ?? []).map(entry => [entry.name, entry]));
    const names = [...new Set([...old.keys(), ...now.keys()])].sort();
    await walk.visit(names.length);
    for (const name of names) {
      const a = old.get(name);
      const b = now.get(name);
      const path = name ? joinPath(base, name) : base;
      if (a && b && a.id === b.id && a.mode === b.mode) {
        continue;
      }
      if (a?.kind === 'tree' || b?.kind === 'tree') {
        await this.compareTrees(
          source,
          a?.kind === 'tree' ? await this.readTree(source, a.id) : null,
          b?.kind === 'tree' ? await this.readTree(source, b.id) : null,
          path,
          changes,
          walk
        );
        if (a && a.kind !== 'tree') {
          changes.push({ path, status: 'deleted', oldId: a.id, newId: null, binary: false });
        }
        if (b && b.kind !== 'tree') {
          changes.push({ path, status: 'added', oldId: null, newId: b.id, binary: false });
        }
        continue;
      }
      const status = !a ? 'added' : !b ? 'deleted' : a.kind !== b.kind ? 'type-changed' : 'modified';
      changes.push({ path, status, oldId: a?.id ?? null, newId: b?.id ?? null, binary: false });
    }
  }

  private omit(change: FileChange): number {
    change.patchOmitted = 'too-large';
    return 0;
  }

  /** Adds a unified diff to a text change; returns the bytes it used of the budget. */
  private async addPatch(source: ObjectSource, change: FileChange, budget: number): Promise<number> {
    if (budget <= 0) {
      return this.omit(change);
    }
    const read = async (id: string | null) => (id ? await source.read(id) : null);
    const infos = await Promise.all([change.oldId ? source.info(change.oldId) : null, change.newId ? source.info(change.newId) : null]);
    if (infos.some(info => info && info.size > MAX_PATCH_BYTES)) {
      change.patchOmitted = 'too-large';
      return 0;
    }
    const [before, after] = await Promise.all([read(change.oldId), read(change.newId)]);
    if ((before && isBinary(before.data)) || (after && isBinary(after.data))) {
      change.binary = true;
      change.patchOmitted = 'binary';
      return 0;
    }
    // Bounded: two very different large files would otherwise hold the service's one thread for minutes.
    const patch = createTwoFilesPatch(
      change.oldId ? `a/${change.path}` : '/dev/null',
      change.newId ? `b/${change.path}` : '/dev/null',
      before?.data.toString('utf8') ?? '',
      after?.data.toString('utf8') ?? '',
      undefined,
      undefined,
      { maxEditLength: MAX_EDIT_LENGTH, timeout: MAX_DIFF_MS }
    );
    if (patch === undefined || patch.length > budget) {
      change.patchOmitted = 'too-large';
      return 0;
    }
    change.patch = patch;
    return patch.length;
  }
}
