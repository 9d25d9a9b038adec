import { PathExt } from '@jupyterlab/coreutils';
import { Contents, ServerConnection } from '@jupyterlab/services';
import { Signal } from '@lumino/signaling';
import type { ProjectSummary } from './agent-status';
import { type ProjectPage, projectPageQuery } from './project-lists';
import { HubShareRequestError, hubshareUrl, requestAPI, requestRaw } from '../request';
import { notebookToShow } from './untrusted-notebook';

/** The drive's name: its paths read `HubShare:owner/project/folder/file`. */
export const SHARED_DRIVE_NAME = 'HubShare';

/** One file or folder as the browse API answers it. */
export interface BrowseEntry {
  name: string;
  path: string;
  type: 'tree' | 'blob' | 'symlink' | 'submodule';
  size?: number;
}

/** `GET api/browse/{owner}/{name}/tree/HEAD/{path}`. */
export interface TreeAnswer {
  commit: string;
  entry: BrowseEntry;
  entries: BrowseEntry[] | null;
}

/** A commit as the browse API shows it. */
export interface CommitSummary {
  id: string;
  subject: string;
  message: string;
  author: { name: string; email: string; date: string };
  committer: { name: string; email: string; date: string };
}

/** What the drive asks the agent; injected, so the drive is tested without a server. */
export interface BrowseApi {
  /** One page of the projects the user can read, in the order of owner and name; `q` keeps those whose name or owner contains it. */
  projects(page: { limit: number; cursor?: string; q?: string }): Promise<ProjectPage>;
  tree(project: string, path: string): Promise<TreeAnswer>;
  file(project: string, path: string): Promise<Blob>;
  lastCommit(project: string, ref: string): Promise<CommitSummary | null>;
  downloadUrl(project: string, path: string): string;
}

const encodePath = (path: string) => path.split('/').map(encodeURIComponent).join('/');

/**
 * The parts of a drive path. `.`, `..` and empty parts are refused: joined into the agent's URL
 * they would leave `hubshare/` on this server.
 */
function partsOf(localPath: string): string[] {
  const parts = localPath.split('/').filter(part => part !== '');
  if (parts.some(part => part === '.' || part === '..')) {
    throw new Error(`"${localPath}" is not a path inside a shared project.`);
  }
  return parts;
}

export const browseApi: BrowseApi = {
  projects: page => requestAPI<ProjectPage>(`api/projects?${projectPageQuery({ scope: 'all', ...page })}`),
  tree: (project, path) => requestAPI<TreeAnswer>(`api/browse/${project}/tree/HEAD${path ? `/${encodePath(path)}` : ''}`),
  file: async (project, path) => (await requestRaw(`api/browse/${project}/blob/HEAD/${encodePath(path)}`)).blob(),
  lastCommit: async (project, ref) =>
    (await requestAPI<{ commits: CommitSummary[] }>(`api/browse/${project}/log?limit=1&ref=${encodeURIComponent(ref)}`)).commits[0] ?? null,
  downloadUrl: (project, path) => hubshareUrl(`api/browse/${project}/blob/HEAD/${encodePath(path)}`)
};

/** The drive reads whole lists, in the largest pages the service gives. */
const DRIVE_PAGE = 500;

/** Thrown for every change attempted through the read-only drive. */
export class ReadOnlyProjectError extends Error {
  constructor(
    readonly path: string,
    /** The user was already told (and offered a checkout): JupyterLab need not show an error too. */
    alreadyShown = false
  ) {
    super(`"${path}" belongs to a shared project, which is read-only here. Check it out to edit it.`);
    // JupyterLab's documents re-throw a save error of this name instead of showing a second dialog.
    this.name = alreadyShown ? 'ModalCancelError' : 'ReadOnlyProjectError';
  }
}

/** Extensions shown as text (beyond `text/*` types) and as notebooks. */
const TEXT_EXTENSIONS = new Set(['.py', '.r', '.jl', '.md', '.txt', '.csv', '.tsv', '.json', '.yaml', '.yml', '.toml', '.cfg', '.ini', '.sh', '.sql', '.html', '.css', '.js', '.ts', '.tex', '.xml', '.svg', '.geojson']);

function fileTypeOf(name: string): { type: 'notebook' | 'file'; format: 'json' | 'text' | 'base64'; mimetype: string } {
  const extension = PathExt.extname(name).toLowerCase();
  if (extension === '.ipynb') {
    return { type: 'notebook', format: 'json', mimetype: 'application/x-ipynb+json' };
  }
  if (TEXT_EXTENSIONS.has(extension) || !extension) {
    return { type: 'file', format: 'text', mimetype: extension === '.csv' ? 'text/csv' : 'text/plain' };
  }
  const images: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp' };
  return { type: 'file', format: 'base64', mimetype: images[extension] ?? 'application/octet-stream' };
}

async function base64Of(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let at = 0; at < bytes.length; at += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  }
  return btoa(binary);
}

/**
 * Shared projects as a read-only contents drive, `HubShare:owner/project/path`: the root lists
 * owners, an owner their projects you can read, a project the files of its latest push. Files
 * open in JupyterLab's own viewers without a pull; every change is refused with
 * ReadOnlyProjectError (a save after `onSaveAttempt`, which offers a checkout).
 */
export class SharedDrive implements Contents.IDrive {
  readonly name = SHARED_DRIVE_NAME;
  readonly serverSettings: ServerConnection.ISettings;
  readonly fileChanged: Signal<Contents.IDrive, Contents.IChangedArgs> = new Signal<Contents.IDrive, Contents.IChangedArgs>(this);
  private readonly commitDates = new Map<string, string>();
  private disposed = false;

  constructor(
    private readonly api: BrowseApi = browseApi,
    /** Called when a document is saved: shows the user why not, and offers a checkout. */
    private readonly onSaveAttempt: (path: string) => Promise<void> = async () => {},
    serverSettings: ServerConnection.ISettings = ServerConnection.makeSettings()
  ) {
    this.serverSettings = serverSettings;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    this.disposed = true;
    Signal.clearData(this);
  }

  async get(localPath: string, options: Contents.IFetchOptions = {}): Promise<Contents.IModel> {
    const parts = partsOf(localPath);
    if (parts.length === 0) {
      const owners = new Set<string>();
      await this.eachPage(undefined, page => {
        page.forEach(project => owners.add(project.owner));
        return true;
      });
      return this.folder('', [...owners].sort().map(owner => this.folder(owner, null)));
    }
    if (parts.length === 1) {
      const projects = await this.projectsOf(parts[0]);
      if (projects.length === 0) {
        throw new HubShareRequestError(404, 'no_such_owner', `You can read no project of "${parts[0]}".`);
      }
      return this.folder(parts[0], projects.map(project => this.folder(`${project.owner}/${project.name}`, null, project.updatedAt)));
    }
    const project = `${encodeURIComponent(parts[0])}/${encodeURIComponent(parts[1])}`;
    const inside = parts.slice(2).join('/');
    const answer = await this.api.tree(project, inside);
    const modified = await this.dateOf(project, answer.commit);
    if (answer.entries) {
      const children = answer.entries
        .filter(entry => entry.type !== 'submodule')
        .map(entry => this.entryModel(`${project}/${entry.path}`, entry, modified));
      return this.folder(localPath.replace(/\/$/, ''), options.content === false ? null : children, modified);
    }
    const model = this.entryModel(localPath, answer.entry, modified);
    if (options.content === false) {
      return model;
    }
    const blob = await this.api.file(project, inside);
    const format = options.format ?? model.format;
    if (model.type === 'notebook' || options.type === 'notebook') {
      return { ...model, type: 'notebook', format: 'json', content: notebookToShow(JSON.parse(await blob.text())) };
    }
    return format === 'base64'
      ? { ...model, format: 'base64', content: await base64Of(blob) }
      : { ...model, format: 'text', content: await blob.text() };
  }

  async getDownloadUrl(localPath: string): Promise<string> {
    const parts = partsOf(localPath);
    return this.api.downloadUrl(`${encodeURIComponent(parts[0])}/${encodeURIComponent(parts[1])}`, parts.slice(2).join('/'));
  }

  newUntitled(options: Contents.ICreateOptions = {}): Promise<Contents.IModel> {
    return this.refuse(options.path ?? '');
  }

  delete(localPath: string): Promise<void> {
    return this.refuse(localPath);
  }

  rename(oldLocalPath: string): Promise<Contents.IModel> {
    return this.refuse(oldLocalPath);
  }

  async save(localPath: string): Promise<Contents.IModel> {
    await this.onSaveAttempt(localPath);
    throw new ReadOnlyProjectError(localPath, true);
  }

  copy(localPath: string): Promise<Contents.IModel> {
    return this.refuse(localPath);
  }

  createCheckpoint(localPath: string): Promise<Contents.ICheckpointModel> {
    return this.refuse(localPath);
  }

  /** No checkpoints: the project's history is its checkpoints (see Show history). */
  async listCheckpoints(): Promise<Contents.ICheckpointModel[]> {
    return [];
  }

  restoreCheckpoint(localPath: string): Promise<void> {
    return this.refuse(localPath);
  }

  deleteCheckpoint(localPath: string): Promise<void> {
    return this.refuse(localPath);
  }

  private async refuse(localPath: string): Promise<never> {
    throw new ReadOnlyProjectError(localPath);
  }

  /**
   * An owner's projects: the service's pages for the owner's name (which also hold projects whose
   * name contains it), read until the owner's have been passed. The listing is in the order of
   * owner, so one owner's projects come together.
   */
  private async projectsOf(owner: string): Promise<ProjectSummary[]> {
    const projects: ProjectSummary[] = [];
    await this.eachPage(owner, page => {
      const theirs = page.filter(project => project.owner === owner);
      projects.push(...theirs);
      const passed = projects.length > 0 && page.length > 0 && page[page.length - 1].owner !== owner;
      return !passed;
    });
    return projects;
  }

  /**
   * The readable projects (those matching `q`), page after page, one request at a time, while
   * `onPage` answers true. The root needs every owner, and the service has no list of owners, so
   * it reads all: a hub of 20,000 projects is 40 requests, made only when the folder is opened or
   * refreshed (the browser refreshes every five minutes).
   */
  private async eachPage(q: string | undefined, onPage: (projects: ProjectSummary[]) => boolean): Promise<void> {
    let cursor: string | undefined;
    for (;;) {
      const page = await this.api.projects({ limit: DRIVE_PAGE, cursor, q });
      if (!onPage(page.projects) || page.next === null) {
        return;
      }
      cursor = page.next;
    }
  }

  /** When the commit a listing shows was made (the files' "last modified"), asked once per commit. */
  private async dateOf(project: string, commit: string): Promise<string> {
    const known = this.commitDates.get(commit);
    if (known) {
      return known;
    }
    const date = (await this.api.lastCommit(project, commit))?.committer.date ?? new Date(0).toISOString();
    this.commitDates.set(commit, date);
    return date;
  }

  private folder(path: string, content: Contents.IModel[] | null, modified = new Date(0).toISOString()): Contents.IModel {
    return {
      name: PathExt.basename(path),
      path,
      type: 'directory',
      writable: false,
      created: modified,
      last_modified: modified,
      mimetype: '',
      content,
      format: content ? 'json' : null
    };
  }

  private entryModel(path: string, entry: BrowseEntry, modified: string): Contents.IModel {
    if (entry.type === 'tree') {
      return this.folder(path, null, modified);
    }
    const kind = fileTypeOf(entry.name);
    return {
      name: entry.name,
      path,
      type: kind.type,
      writable: false,
      created: modified,
      last_modified: modified,
      mimetype: kind.mimetype,
      content: null,
      format: kind.format,
      size: entry.size
    };
  }
}
