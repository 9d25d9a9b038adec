import { requestAPI } from '../request';
import type { CommitSummary } from './shared-drive';
import { StepModel } from './step-model';

/** One changed file of a commit, as the browse API's diff answers it. */
export interface FileChange {
  path: string;
  status: 'added' | 'deleted' | 'modified' | 'type-changed';
  binary: boolean;
  patch?: string;
  patchOmitted?: 'binary' | 'too-large';
}

/** What the history view asks the agent; injected for tests. */
export interface HistoryApi {
  log(project: string, cursor: string | null): Promise<{ commits: CommitSummary[]; next: string | null }>;
  diff(project: string, commit: string): Promise<{ files: FileChange[] }>;
}

export const historyApi: HistoryApi = {
  log: (project, cursor) => requestAPI(`api/browse/${project}/log?limit=30${cursor ? `&cursor=${cursor}` : ''}`),
  diff: (project, commit) => requestAPI(`api/browse/${project}/diff?to=${commit}`)
};

/** The history of one project, newest first, and what the selected commit changed. */
export class ProjectHistoryModel extends StepModel {
  commits: CommitSummary[] = [];
  selected: string | null = null;
  changes: FileChange[] | null = null;
  private next: string | null = null;

  constructor(
    readonly project: string,
    private readonly api: HistoryApi = historyApi
  ) {
    super();
  }

  get hasMore(): boolean {
    return this.next !== null;
  }

  /** Loads the first page and shows what the latest commit changed. */
  async load(): Promise<void> {
    this.commits = [];
    this.next = null;
    await this.loadMore();
    if (this.commits.length > 0) {
      await this.select(this.commits[0].id);
    }
  }

  async loadMore(): Promise<void> {
    await this.step(async () => {
      const page = await this.api.log(this.project, this.next);
      this.commits = [...this.commits, ...page.commits];
      this.next = page.next;
    });
  }

  async select(commit: string): Promise<void> {
    this.selected = commit;
    this.changes = null;
    await this.step(async () => {
      const diff = await this.api.diff(this.project, commit);
      if (this.selected === commit) {
        this.changes = diff.files;
      }
    });
  }
}
