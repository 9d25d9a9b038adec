import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';
import type { ShownProjects } from '../model/project-lists';
import { type ProjectActions, ProjectRow, RowButton } from './panel-rows';
import { VirtualList, type VirtualRowProps } from './virtual-list';

/** Rows of a long section are this tall (px), so it can render only those in view. */
export const ROW_HEIGHTS = { checkout: 72, project: 52 };
const MAX_SECTION_HEIGHT = 520;

const sectionId = (title: string) => `jp-HubShare-section-${title.replace(/\W+/g, '-').toLowerCase()}`;

/** One titled section of the panel: a heading and its list, or nothing when empty. */
export function Section({
  title,
  children,
  count,
  showEmpty = false,
  rowHeight
}: {
  title: string;
  count: number;
  children: React.ReactNode;
  /** Shown even with nothing to count (it holds an action). */
  showEmpty?: boolean;
  /** Set for sections of uniform rows: long ones then render only the rows in view. */
  rowHeight?: number;
}): JSX.Element | null {
  if (count === 0 && !showEmpty) {
    return null;
  }
  const id = sectionId(title);
  return (
    <section className="jp-HubShare-section" aria-labelledby={id}>
      <h3 className="jp-HubShare-sectionTitle" id={id}>
        {title} <span className="jp-HubShare-count">{count}</span>
      </h3>
      {rowHeight && Array.isArray(children) ? (
        <VirtualList rows={children as React.ReactElement<VirtualRowProps>[]} rowHeight={rowHeight} maxHeight={MAX_SECTION_HEIGHT} label={title} />
      ) : (
        <ul className="jp-HubShare-list">{children}</ul>
      )}
    </section>
  );
}

/**
 * A section of projects read page by page: its rows in a virtual list that reads the next page
 * when scrolled near its end, the count ("200+" while there is more), and under the list what is
 * being read (a live region) or what could not be, with Try again. `resetKey` changes with the
 * filter, so a new filter's rows start at the top.
 */
export function ProjectSection({
  title,
  shown,
  trans,
  actions,
  resetKey,
  onLoadMore
}: {
  title: string;
  shown: ShownProjects;
  trans: TranslationBundle;
  actions?: ProjectActions;
  resetKey: string;
  onLoadMore?: () => void;
}): JSX.Element | null {
  const { projects, more, loading, problem } = shown;
  if (projects.length === 0 && loading === null && problem === null) {
    return null;
  }
  const id = sectionId(title);
  const count = projects.length;
  // Read on by itself only when nothing is being read and nothing failed: a failure waits for Try again.
  const readOn = onLoadMore && more && loading === null && problem === null ? onLoadMore : undefined;
  return (
    <section className="jp-HubShare-section" aria-labelledby={id} aria-busy={loading !== null}>
      <h3 className="jp-HubShare-sectionTitle" id={id}>
        {title}{' '}
        <span className="jp-HubShare-count" title={more ? trans.__('%1 shown; scroll down for more', count) : undefined}>
          {more ? trans.__('%1+', count) : count}
        </span>
      </h3>
      <VirtualList
        key={resetKey}
        rows={projects.map(project => (
          <ProjectRow key={`${project.owner}/${project.name}`} project={project} trans={trans} actions={actions} />
        ))}
        rowHeight={ROW_HEIGHTS.project}
        maxHeight={MAX_SECTION_HEIGHT}
        label={title}
        onNearEnd={readOn}
      />
      <div className="jp-HubShare-listStatus" role="status" aria-live="polite">
        {loading === 'more' && <span className="jp-HubShare-listLoading">{trans.__('Loading more projects…')}</span>}
        {loading === 'search' && <span className="jp-HubShare-listLoading">{trans.__('Searching all projects…')}</span>}
      </div>
      {problem !== null && (
        <div className="jp-HubShare-listProblem" role="alert">
          <span>
            {shown.searching
              ? trans.__('Could not search all projects: %1', problem)
              : trans.__('More projects could not be loaded: %1', problem)}
          </span>
          {onLoadMore && (
            <RowButton label={trans.__('Try again')} ariaLabel={trans.__('Try loading %1 again', title)} disabled={false} onClick={onLoadMore} />
          )}
        </div>
      )}
    </section>
  );
}
