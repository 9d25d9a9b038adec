import { Debouncer } from '@lumino/polling';
import type { Listing, ProjectSummary } from './agent-status';

/** Which projects a listing asks the service for: the user's own, those of others they can read, or both. */
export type ProjectScope = 'mine' | 'shared' | 'all';

/** The panel's two project sections, each its own paged list (scope `mine` and scope `shared`). */
export type ProjectSection = 'mine' | 'sharedWithMe';

const SECTIONS: readonly ProjectSection[] = ['mine', 'sharedWithMe'];
const SCOPES: Record<ProjectSection, ProjectScope> = { mine: 'mine', sharedWithMe: 'shared' };

/** One page of `GET api/projects`: at most `limit` projects after `cursor`, those whose name or owner contains `q`. */
export interface ProjectPageRequest {
  scope: ProjectScope;
  limit: number;
  cursor?: string;
  q?: string;
}

/** The service's answer: a page in the order of owner and name, and the cursor of the next (null after the last). */
export interface ProjectPage {
  projects: ProjectSummary[];
  next: string | null;
}

/** The query string of a page request (the agent passes it to the service as it is). */
export function projectPageQuery(request: ProjectPageRequest): string {
  const query = new URLSearchParams({ scope: request.scope, limit: String(request.limit) });
  if (request.cursor !== undefined) {
    query.set('cursor', request.cursor);
  }
  if (request.q !== undefined) {
    query.set('q', request.q);
  }
  return query.toString();
}

/** A list of projects as far as it has been read, page by page. */
export interface PagedProjects {
  /** In the service's order (owner, then name). */
  projects: ProjectSummary[];
  /** The cursor of the page after those read; null once the list is read to its end. */
  next: string | null;
  /** The first page has been read (until then `next` says nothing). */
  started: boolean;
  /** A page is being read. */
  loading: boolean;
  /** Why the last page could not be read; the projects read before it stay. */
  problem: string | null;
}

/**
 * How far one project section has been read (its projects are the listing's `mine` or
 * `sharedWithMe`) and, while the filter is set and the section goes on beyond what has been
 * read, what the service found for the filter (`matching`).
 */
export interface ListProgress extends Omit<PagedProjects, 'projects'> {
  matching: (PagedProjects & { query: string }) | null;
}

/** The progress of a list that is all there is (read at once, or to its end). */
export const WHOLE_LIST: ListProgress = { next: null, started: true, loading: false, problem: null, matching: null };

/** Rows a panel section reads per request: about twenty screens of rows, a few tens of kB. */
export const PAGE_SIZE = 200;
/** How long the filter waits for typing to pause before it asks the service (ms). */
export const FILTER_DELAY = 300;
/**
 * Names and owners are at most 63 characters (`server/shared/names.ts`), so a longer text is in
 * none of them; the service refuses a `q` over 100 characters, so such a filter is not sent.
 */
const LONGEST_NAME = 63;

const keyOf = (project: ProjectSummary) => `${project.owner}/${project.name}`;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The first page read again, followed by what had been read after it.
 *
 * Why only the first page: the lists are refreshed every `refreshInterval` (30 s by default), and
 * re-reading every page a user has scrolled through would cost a hub of thousands a request per
 * page per user per round, for rows nobody is looking at. The first page is where new projects
 * of the user's show up and what most users look at; the pages after it were read when the user
 * scrolled to them and stay as they were, still in place under the scroll position. They are
 * joined at the last project of the fresh page that was read before (the order is the service's,
 * whose collation the panel does not assume). A project removed from the part kept stays until
 * the list is read afresh (a new user, or the list has shrunk to one page); acting on it says in
 * the service's words that it is gone.
 *
 * `continued` is false when what had been read no longer follows: a page still being read then
 * belongs to the old list and is dropped.
 */
export function mergeFirstPage(read: PagedProjects, first: ProjectPage): { projects: ProjectSummary[]; next: string | null; continued: boolean } {
  if (first.next !== null && read.started) {
    const positions = new Map(read.projects.map((project, index) => [keyOf(project), index]));
    for (let index = first.projects.length - 1; index >= 0; index--) {
      const at = positions.get(keyOf(first.projects[index]));
      if (at === undefined) {
        continue;
      }
      if (read.next === null && at === read.projects.length - 1) {
        break; // what was read ended here, and the list now goes on: the fresh page's cursor does
      }
      const fresh = new Set(first.projects.map(keyOf));
      const after = read.projects.slice(at + 1).filter(project => !fresh.has(keyOf(project)));
      return { projects: [...first.projects, ...after], next: read.next, continued: true };
    }
  }
  return { projects: first.projects, next: first.next, continued: false };
}

/** One list read page by page from one kind of request. */
class PagedList {
  private state: PagedProjects = { projects: [], next: null, started: false, loading: false, problem: null };
  /** Bumped whenever what was read is replaced or dropped: answers to older requests are ignored. */
  private generation = 0;

  constructor(
    private readonly read: (cursor: string | undefined) => Promise<ProjectPage>,
    private readonly changed: () => void
  ) {}

  get snapshot(): PagedProjects {
    return this.state;
  }

  /**
   * Reads the first page again and keeps what follows it (see `mergeFirstPage`). Tells no one:
   * the caller shows the result with the rest of its refresh.
   * @throws what reading the page throws; what was read stays.
   */
  async refresh(): Promise<void> {
    const generation = this.generation;
    const first = await this.read(undefined);
    if (generation !== this.generation) {
      return;
    }
    const merged = mergeFirstPage(this.state, first);
    if (!merged.continued) {
      this.generation += 1;
    }
    this.state = {
      projects: merged.projects,
      next: merged.next,
      started: true,
      loading: merged.continued && this.state.loading,
      problem: merged.continued ? this.state.problem : null
    };
  }

  /** Reads the next page (the first, if none has been read) and appends it; a failure stays as `problem` until tried again. */
  async loadMore(): Promise<void> {
    const { started, next, loading } = this.state;
    if (loading || (started && next === null)) {
      return;
    }
    const generation = this.generation;
    this.state = { ...this.state, loading: true, problem: null };
    this.changed();
    let page: ProjectPage;
    try {
      page = await this.read(started && next !== null ? next : undefined);
    } catch (error) {
      if (generation === this.generation) {
        this.state = { ...this.state, loading: false, problem: messageOf(error) };
        this.changed();
      }
      return;
    }
    if (generation !== this.generation) {
      return;
    }
    // A project created before the cursor's place since the last page is never repeated by the
    // service; one moved by a refresh's merge could be, so the page is checked against those read.
    const known = new Set(this.state.projects.map(keyOf));
    this.state = {
      projects: [...this.state.projects, ...page.projects.filter(project => !known.has(keyOf(project)))],
      next: page.next,
      started: true,
      loading: false,
      problem: null
    };
    this.changed();
  }

  /** Ignores the answers still to come: the list is no longer shown. */
  dispose(): void {
    this.generation += 1;
  }
}

/**
 * The panel's project sections, read from the service page by page: "My projects" (scope `mine`)
 * and "Shared with me" (scope `shared`), each with its own cursor. A refresh re-reads each one's
 * first page; scrolling near a section's end reads its next page. While the filter is set, a
 * section longer than what has been read is searched on the service (`q`, once typing pauses),
 * again page by page; one read to its end is filtered where it is, by the panel.
 */
export class ProjectLists {
  private readonly lists: Record<ProjectSection, PagedList>;
  private readonly matching: Record<ProjectSection, { query: string; list: PagedList } | null> = { mine: null, sharedWithMe: null };
  private query = '';
  private userName: string | null = null;
  private readonly search: Debouncer;

  constructor(
    private readonly readPage: (request: ProjectPageRequest) => Promise<ProjectPage>,
    /** Called when a page arrives, is asked for, or fails outside a refresh. */
    private readonly changed: () => void,
    private readonly options: { pageSize: number; filterDelay: number } = { pageSize: PAGE_SIZE, filterDelay: FILTER_DELAY }
  ) {
    this.lists = { mine: this.newList('mine'), sharedWithMe: this.newList('sharedWithMe') };
    this.search = new Debouncer(() => this.searchNow(), options.filterDelay);
  }

  /** The sections as a listing holds them: the projects read, and how far each is read. */
  get listed(): Pick<Listing, 'mine' | 'sharedWithMe' | 'progress'> {
    const progress = (section: ProjectSection): ListProgress => {
      const { next, started, loading, problem } = this.lists[section].snapshot;
      const matching = this.matching[section];
      return { next, started, loading, problem, matching: matching && { ...matching.list.snapshot, query: matching.query } };
    };
    return {
      mine: this.lists.mine.snapshot.projects,
      sharedWithMe: this.lists.sharedWithMe.snapshot.projects,
      progress: { mine: progress('mine'), sharedWithMe: progress('sharedWithMe') }
    };
  }

  /**
   * Reads each section's first page again (a different user's lists start afresh), and that of
   * the filter's results where they are shown; starts or ends a search where a section has become
   * longer or shorter than a page.
   * @throws what reading a section's first page throws; what was read stays.
   */
  async refresh(userName: string): Promise<void> {
    if (userName !== this.userName) {
      this.userName = userName;
      for (const section of SECTIONS) {
        this.lists[section].dispose();
        this.lists[section] = this.newList(section);
        this.setMatching(section, null);
      }
    }
    const results = await Promise.allSettled(SECTIONS.map(section => this.lists[section].refresh()));
    await Promise.all(
      SECTIONS.map(section => {
        const matching = this.matching[section];
        if (!this.searchedOnService(section)) {
          this.setMatching(section, null);
          return undefined;
        }
        if (matching === null) {
          const list = this.newList(section, this.query);
          this.setMatching(section, list);
          return list.loadMore();
        }
        // A background re-read of results already shown: on failure they simply stay.
        return matching.list.snapshot.started ? matching.list.refresh().catch(() => undefined) : undefined;
      })
    );
    const failure = results.find(result => result.status === 'rejected');
    if (failure) {
      throw failure.reason;
    }
  }

  /** Reads the next page of a section as shown (the filter's results while they are); also tries a failed page again. */
  async loadMore(section: ProjectSection): Promise<void> {
    await (this.matching[section]?.list ?? this.lists[section]).loadMore();
  }

  /**
   * Sets the filter's text. Sections longer than what has been read show the service's results
   * for it, asked for once typing has paused for `filterDelay`; resolves once they are read.
   */
  async filter(query: string): Promise<void> {
    if (query === this.query) {
      return;
    }
    this.query = query;
    for (const section of SECTIONS) {
      this.setMatching(section, this.searchedOnService(section) ? this.newList(section, query) : null);
    }
    this.changed();
    await this.search.invoke();
  }

  dispose(): void {
    this.search.dispose();
    for (const section of SECTIONS) {
      this.lists[section].dispose();
      this.setMatching(section, null);
    }
  }

  /** The filter is set and the section goes on beyond what has been read. */
  private searchedOnService(section: ProjectSection): boolean {
    const { started, next } = this.lists[section].snapshot;
    return this.query !== '' && started && next !== null;
  }

  private async searchNow(): Promise<void> {
    await Promise.all(SECTIONS.map(section => this.matching[section]).map(matching => (matching && !matching.list.snapshot.started ? matching.list.loadMore() : undefined)));
  }

  private setMatching(section: ProjectSection, list: PagedList | null): void {
    this.matching[section]?.list.dispose();
    this.matching[section] = list && { query: this.query, list };
  }

  private newList(section: ProjectSection, q?: string): PagedList {
    return new PagedList(async cursor => {
      if (q !== undefined && q.length > LONGEST_NAME) {
        return { projects: [], next: null };
      }
      return this.readPage({ scope: SCOPES[section], limit: this.options.pageSize, cursor, q });
    }, this.changed);
  }
}

/** What one project section shows under the filter. */
export interface ShownProjects {
  projects: ProjectSummary[];
  /** The service has more: reading on (scrolling near the end) appends them. */
  more: boolean;
  /** Being read: the next page, or the first of the filter's results on the service (meanwhile those read so far are filtered here). */
  loading: 'more' | 'search' | null;
  /** Why the last page, or the search, could not be read; what is shown stays. */
  problem: string | null;
  /** The problem is the search's (not a further page's). */
  searching: boolean;
}

/**
 * A section under the filter: the service's results while it searches the section, else the
 * projects read, kept by owner/name or description (`keeps` is the filter box's test, null
 * without a filter).
 */
export function shownProjects(projects: ProjectSummary[], list: ListProgress, keeps: ((text: string) => boolean) | null): ShownProjects {
  const kept = () =>
    keeps ? projects.filter(project => keeps(`${project.owner}/${project.name}`) || (project.description !== '' && keeps(project.description))) : projects;
  const { matching } = list;
  if (matching?.started) {
    return { projects: matching.projects, more: matching.next !== null, loading: matching.loading ? 'more' : null, problem: matching.problem, searching: false };
  }
  if (matching) {
    return { projects: kept(), more: false, loading: matching.problem === null ? 'search' : null, problem: matching.problem, searching: true };
  }
  return { projects: kept(), more: list.next !== null, loading: list.loading ? 'more' : null, problem: list.problem, searching: false };
}
