import { randomBytes } from 'node:crypto';
import { appendFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { GitRunner } from './git-runner';

/** Settings every bare repository gets; the service, not a pusher, decides them. */
export interface RepositoryPolicy {
  /** Largest pack a single push may send, in bytes (git's receive.maxInputSize). */
  maxPushBytes: number;
}

export const DEFAULT_REPOSITORY_POLICY: RepositoryPolicy = { maxPushBytes: 2 * 1024 * 1024 * 1024 };

/**
 * The bare repositories on disk. They live under the repositories directory by the project's
 * internal id, never by a user-supplied name, so renaming a project touches no file.
 */
export class Repositories {
  constructor(
    readonly root: string,
    private readonly git: GitRunner,
    private readonly policy: RepositoryPolicy = DEFAULT_REPOSITORY_POLICY
  ) {}

  /** The repository directory of a project id (ids are generated hex, never user input). */
  pathOf(projectId: string): string {
    if (!/^[0-9a-f]{24}$/.test(projectId)) {
      throw new Error(`not a project id: ${projectId}`);
    }
    return join(this.root, `${projectId}.git`);
  }

  /** The project ids that have a repository here. */
  async projectIds(): Promise<string[]> {
    const names = await readdir(this.root).catch(() => []);
    return names.filter(name => /^[0-9a-f]{24}\.git$/.test(name)).map(name => name.slice(0, -'.git'.length));
  }

  /**
   * Removes what a killed create or delete left: folders a delete renamed aside and did not get to
   * remove (`.deleted-*`), and the repositories of `orphans` (ids with no project row: a create
   * killed between its repository and its row, or a delete between its row and its repository)
   * older than `olderThanMs` (a younger one may be another replica's create under way). Answers
   * what it removed.
   */
  async removeLeftovers(orphans: readonly string[], olderThanMs: number): Promise<string[]> {
    const removed: string[] = [];
    for (const name of await readdir(this.root).catch(() => [])) {
      if (name.startsWith('.deleted-')) {
        await rm(join(this.root, name), { recursive: true, force: true });
        removed.push(name);
      }
    }
    for (const id of orphans) {
      const stats = await stat(this.pathOf(id)).catch(() => null);
      if (stats !== null && Date.now() - stats.mtimeMs >= olderThanMs) {
        await this.remove(id);
        removed.push(`${id}.git`);
      }
    }
    return removed;
  }

  /** Creates the bare repository of a new project, with the service's receive policy. */
  async create(projectId: string): Promise<void> {
    const path = this.pathOf(projectId);
    await this.git.run(['init', '--bare', '--quiet', '--initial-branch=main', '--', path]);
    // Appended in one write instead of a `git config` process per key: the keys and values are
    // the service's own constants (and a path it owns), never user input.
    const settings = [
      '[receive]',
      '\tfsckObjects = true',
      '\tdenyNonFastForwards = true',
      '\tdenyDeletes = true',
      '\tdenyCurrentBranch = refuse',
      `\tmaxInputSize = ${Math.floor(this.policy.maxPushBytes)}`,
      '[core]',
      `\thooksPath = ${JSON.stringify(this.git.hooksDir)}`,
      '\tfsync = committed',
      '\tfsyncMethod = fsync',
      '[http]',
      '\treceivepack = true',
      '\tuploadpack = true',
      '[uploadpack]',
      '\tallowFilter = true',
      '[gc]',
      '\tauto = 0',
      ''
    ].join('\n');
    try {
      await appendFile(join(path, 'config'), settings);
    } catch (error) {
      await rm(path, { recursive: true, force: true });
      throw error;
    }
  }

  /** Every ref of a project's repository and the commit it points to. */
  async refs(projectId: string): Promise<Map<string, string>> {
    const listing = await this.git.run(['--git-dir', this.pathOf(projectId), 'for-each-ref', '--format=%(objectname) %(refname)']);
    const refs = new Map<string, string>();
    for (const line of listing.split('\n')) {
      const space = line.indexOf(' ');
      if (space > 0) {
        refs.set(line.slice(space + 1), line.slice(0, space));
      }
    }
    return refs;
  }

  /** Removes a project's repository: first out of the way (atomic rename), then from disk. */
  async remove(projectId: string): Promise<void> {
    const path = this.pathOf(projectId);
    const doomed = join(this.root, `.deleted-${projectId}-${randomBytes(4).toString('hex')}`);
    try {
      await rename(path, doomed);
    } catch {
      return;
    }
    await rm(doomed, { recursive: true, force: true });
  }
}
