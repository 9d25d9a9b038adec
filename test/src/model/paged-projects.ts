import type { ProjectSummary } from '../../../src/model/agent-status';
import type { ProjectPage, ProjectPageRequest } from '../../../src/model/project-lists';

export const project = (owner: string, name: string): ProjectSummary => ({
  owner,
  name,
  description: '',
  visibility: 'private',
  myLevel: 'read',
  updatedAt: '2026-01-01T00:00:00Z'
});

/** `count` projects of `owner` named `prefix-0000`, `prefix-0001`…, in the service's order. */
export function projectsOf(owner: string, count: number, prefix = 'project'): ProjectSummary[] {
  return Array.from({ length: count }, (_, index) => project(owner, `${prefix}-${String(index).padStart(4, '0')}`));
}

/** The service's order: owner, then name. */
const compare = (a: ProjectSummary, b: ProjectSummary) => (a.owner === b.owner ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.owner < b.owner ? -1 : 1);

/**
 * The agent's project listing as the service answers it, over lists a test can change between
 * requests: pages in the order of owner and name after a keyset cursor (the last key of the page
 * before, so a page never repeats an item), `q` kept by name or owner (case-insensitive), scope
 * `mine` for `user`'s own. Records every request; requests fail while `failing` is set.
 */
export class PagedProjectsService {
  readonly requests: ProjectPageRequest[] = [];
  /** Requests throw this while it is set. */
  failing: Error | null = null;
  /** Requests wait for this before answering, while it is set. */
  gate: Promise<void> | null = null;
  /** Requests for a next page (with a cursor) wait for this too. */
  nextPageGate: Promise<void> | null = null;

  constructor(
    public projects: ProjectSummary[],
    private readonly user = 'alice'
  ) {}

  readonly read = async (request: ProjectPageRequest): Promise<ProjectPage> => {
    this.requests.push(request);
    await this.gate;
    if (request.cursor !== undefined) {
      await this.nextPageGate;
    }
    if (this.failing) {
      throw this.failing;
    }
    const q = request.q?.toLowerCase();
    const inScope = this.projects
      .filter(p => request.scope === 'all' || (request.scope === 'mine') === (p.owner === this.user))
      .filter(p => q === undefined || p.name.toLowerCase().includes(q) || p.owner.toLowerCase().includes(q))
      .sort(compare);
    const cursor = request.cursor === undefined ? null : (JSON.parse(request.cursor) as ProjectSummary);
    const after = cursor === null ? inScope : inScope.filter(p => compare(p, cursor) > 0);
    const page = after.slice(0, request.limit);
    const last = page[page.length - 1];
    return { projects: page, next: after.length > request.limit ? JSON.stringify({ owner: last.owner, name: last.name }) : null };
  };

  /** The requests made since the last call, as `scope after-name q` lines (`-`: the first page), and forgets them. */
  takeRequests(): string[] {
    const lines = this.requests.map(r => [r.scope, r.cursor === undefined ? '-' : (JSON.parse(r.cursor) as ProjectSummary).name, r.q ?? ''].join(' ').trim());
    this.requests.length = 0;
    return lines;
  }
}
