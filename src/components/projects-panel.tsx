import type { TranslationBundle } from '@jupyterlab/translation';
import { FilterBox, ReactWidget, refreshIcon } from '@jupyterlab/ui-components';
import * as React from 'react';
import { projectsIcon } from '../icons';
import { type ConnectionState, type Listing, shownListing } from '../model/agent-status';
import type { ConnectionModel } from '../model/connection-model';
import type { ProjectSection as ProjectSectionName } from '../model/project-lists';
import { type CheckoutActions, CheckoutRow, type ProjectActions, RowButton } from './panel-rows';
import { ProjectSection, ROW_HEIGHTS, Section } from './panel-sections';

export type { CheckoutActions, ProjectActions } from './panel-rows';

/** How the panel reads on in the project lists: the model's paging, without the model. */
export interface ProjectPaging {
  /** The next page of a section (also: try a failed one again). */
  loadMore(section: ProjectSectionName): void;
  /** The filter's text, for sections too long to filter in the panel. */
  filter(query: string): void;
}

interface ViewProps {
  state: ConnectionState;
  trans: TranslationBundle;
  onRefresh: () => void;
  actions?: CheckoutActions;
  projectActions?: ProjectActions;
  /** Without it the lists are taken as whole (nothing more to read, the filter stays in the panel). */
  paging?: ProjectPaging;
}

/** The connection line at the top of the panel: a coloured dot, a headline and a detail. */
function ConnectionSummary({ state, trans }: Omit<ViewProps, 'onRefresh'>): JSX.Element {
  let headline: string;
  let detail: string;
  switch (state.kind) {
    case 'checking':
      headline = trans.__('Connecting…');
      detail = '';
      break;
    case 'agent-unavailable':
      headline = trans.__('HubShare is not available on this server');
      detail = state.message;
      break;
    case 'service-unreachable':
      headline = trans.__('Cannot reach the HubShare service');
      detail = state.message;
      break;
    case 'signed-out':
      headline = trans.__('Not signed in to HubShare');
      detail = state.message;
      break;
    case 'connected':
      headline = trans.__('Connected as %1', state.userName);
      detail = state.status.service.url ?? '';
      break;
  }
  return (
    <div className="jp-HubShare-connection" role="status" aria-live="polite" data-state={state.kind}>
      <span className={`jp-HubShare-connectionDot jp-mod-${state.kind}`} aria-hidden="true" />
      <div className="jp-HubShare-connectionText">
        <div className="jp-HubShare-connectionHeadline">{headline}</div>
        {detail && <div className="jp-HubShare-connectionDetail">{detail}</div>}
      </div>
    </div>
  );
}

/**
 * JupyterLab's filter box over the panel's lists. Its test is JupyterLab's own (the file
 * browser's); the box gets an accessible name, which FilterBox does not give it.
 */
function ListFilter({ trans, onChange }: { trans: TranslationBundle; onChange: (keeps: (text: string) => boolean, query: string) => void }): JSX.Element {
  const inputRef = React.useRef<HTMLInputElement>(null);
  const label = trans.__('Filter projects and checkouts');
  const clearLabel = trans.__('Clear the filter');
  React.useEffect(() => {
    const host = inputRef.current;
    if (!host) {
      return;
    }
    host.setAttribute('aria-label', label);
    if (!host.localName.includes('-')) {
      return; // not JupyterLab's web component (a stand-in): nothing more to name
    }
    // The web component's clear button has no name of its own (axe: button-name); give it one
    // once the component has rendered its shadow DOM.
    void customElements.whenDefined(host.localName).then(() => {
      host.shadowRoot?.querySelector('button.clear-button')?.setAttribute('aria-label', clearLabel);
    });
  }, [label, clearLabel]);
  const updateFilter = React.useCallback(
    (test: (item: string) => unknown, query?: string) => onChange(text => test(text) !== null, query ?? ''),
    [onChange]
  );
  return (
    <div className="jp-HubShare-filter">
      <FilterBox inputRef={inputRef} placeholder={trans.__('Filter')} updateFilter={updateFilter} useFuzzyFilter={false} />
    </div>
  );
}

/** The user's checkouts and projects, or an empty state that says what a project is. */
function Lists({
  listing: all,
  teams,
  trans,
  actions,
  projectActions,
  paging
}: {
  listing: Listing;
  teams: string[];
  trans: TranslationBundle;
  actions?: CheckoutActions;
  projectActions?: ProjectActions;
  paging?: ProjectPaging;
}): JSX.Element {
  const [filter, setFilter] = React.useState<{ keeps: (text: string) => boolean; query: string } | null>(null);
  const onFilterChange = React.useCallback(
    (keeps: (text: string) => boolean, query: string) => {
      setFilter(query === '' ? null : { keeps, query });
      paging?.filter(query);
    },
    [paging]
  );
  // The filter box goes with this view (the connection was lost): so does its filter.
  React.useEffect(() => () => paging?.filter(''), [paging]);
  const loadMore = React.useMemo(
    () => paging && { mine: () => paging.loadMore('mine'), sharedWithMe: () => paging.loadMore('sharedWithMe') },
    [paging]
  );
  const listing = shownListing(all, filter?.keeps ?? null);
  const total = all.checkouts.length + all.mine.length + all.sharedWithMe.length;
  const busy = listing.mine.loading === 'search' || listing.sharedWithMe.loading === 'search';
  const nothingShown = listing.checkouts.length + listing.mine.projects.length + listing.sharedWithMe.projects.length === 0;
  return (
    <div className="jp-HubShare-lists">
      {total > 0 && <ListFilter trans={trans} onChange={onFilterChange} />}
      {total > 0 && nothingShown && !busy && (
        <p className="jp-HubShare-noMatch" role="status">
          {trans.__('Nothing matches the filter.')}
        </p>
      )}
      {all.problem && (
        <div className="jp-HubShare-problem" role="alert">
          {trans.__('Your projects could not be listed: %1', all.problem)}
        </div>
      )}
      <Section title={trans.__('On this server')} count={listing.checkouts.length} rowHeight={ROW_HEIGHTS.checkout}>
        {listing.checkouts.map(checkout => (
          <CheckoutRow key={checkout.path} checkout={checkout} status={all.statuses[checkout.path]} trans={trans} actions={actions} />
        ))}
      </Section>
      <ProjectSection
        title={trans.__('Shared with me')}
        shown={listing.sharedWithMe}
        trans={trans}
        actions={projectActions}
        resetKey={filter?.query ?? ''}
        onLoadMore={loadMore?.sharedWithMe}
      />
      <ProjectSection
        title={trans.__('My projects')}
        shown={listing.mine}
        trans={trans}
        actions={projectActions}
        resetKey={filter?.query ?? ''}
        onLoadMore={loadMore?.mine}
      />
      <Section title={trans.__('Teams')} count={teams.length} showEmpty={!!projectActions}>
        {teams.map(team => (
          <li key={team} className="jp-HubShare-row">
            <span className="jp-HubShare-rowName">{team}</span>
          </li>
        ))}
        {projectActions && (
          <li className="jp-HubShare-row">
            <span className="jp-HubShare-rowActions">
              <RowButton label={trans.__('Manage teams…')} ariaLabel={trans.__('Manage teams')} disabled={false} onClick={() => projectActions.manageTeams()} />
            </span>
          </li>
        )}
      </Section>
      {total === 0 && !all.problem && (
        <div className="jp-HubShare-empty">
          <projectsIcon.react className="jp-HubShare-emptyIcon" tag="span" elementSize="xlarge" />
          <p className="jp-HubShare-emptyTitle">{trans.__('Nothing shared yet')}</p>
          <p>
            {trans.__(
              'A project is a folder of notebooks, data and code that you share with other users of this hub, with every version kept.'
            )}
          </p>
          <p>{trans.__('To share a folder, right-click it in the file browser and choose Publish as Project….')}</p>
        </div>
      )}
    </div>
  );
}

/** What the panel shows under the connection line. */
function Body({ state, trans, actions, projectActions, paging }: Omit<ViewProps, 'onRefresh'>): JSX.Element | null {
  if (state.kind === 'checking') {
    return null;
  }
  if (state.kind === 'connected') {
    return (
      <Lists
        listing={state.listing}
        teams={state.status.service.user?.teams ?? []}
        trans={trans}
        actions={actions}
        projectActions={projectActions}
        paging={paging}
      />
    );
  }
  return (
    <div className="jp-HubShare-empty">
      <p className="jp-HubShare-emptyTitle">{trans.__('Projects appear here once HubShare is connected.')}</p>
      <p>{trans.__('Fix the problem above, then press Refresh. Your files stay where they are in the meantime.')}</p>
    </div>
  );
}

/** The whole panel, for one connection state. */
export function ProjectsView({ state, trans, onRefresh, actions, projectActions, paging }: ViewProps): JSX.Element {
  return (
    <div className="jp-HubShare-panelBody">
      <div className="jp-HubShare-header">
        <h2 className="jp-HubShare-title">{trans.__('Projects')}</h2>
        <button
          type="button"
          className="jp-HubShare-iconButton"
          onClick={onRefresh}
          title={trans.__('Refresh')}
          aria-label={trans.__('Refresh projects')}
        >
          <refreshIcon.react tag="span" elementSize="normal" />
        </button>
      </div>
      <ConnectionSummary state={state} trans={trans} />
      <Body state={state} trans={trans} actions={actions} projectActions={projectActions} paging={paging} />
    </div>
  );
}

/**
 * The model's current connection state, kept current. It re-reads the state once mounted, because
 * React mounts asynchronously and the model may have changed between render and mount.
 */
function useConnectionState(model: ConnectionModel): ConnectionState {
  const [state, setState] = React.useState(model.state);
  React.useEffect(() => {
    const update = (_: ConnectionModel, next: ConnectionState) => setState(next);
    model.stateChanged.connect(update);
    setState(model.state);
    return () => {
      model.stateChanged.disconnect(update);
    };
  }, [model]);
  return state;
}

/** Connects `ProjectsView` to the model: its state, and its paging of the project lists. */
export function ConnectedProjectsView({
  model,
  trans,
  actions,
  projectActions
}: {
  model: ConnectionModel;
  trans: TranslationBundle;
  actions: CheckoutActions;
  projectActions?: ProjectActions;
}): JSX.Element {
  const state = useConnectionState(model);
  const paging = React.useMemo<ProjectPaging>(
    () => ({ loadMore: section => void model.loadMoreProjects(section), filter: query => void model.filterProjects(query) }),
    [model]
  );
  return (
    <ProjectsView state={state} trans={trans} onRefresh={() => void model.refresh()} actions={actions} projectActions={projectActions} paging={paging} />
  );
}

/** The "Projects" sidebar panel: a Lumino widget rendering `ProjectsView` from the model. */
export class ProjectsPanel extends ReactWidget {
  constructor(
    private readonly model: ConnectionModel,
    private readonly trans: TranslationBundle,
    private readonly actions: CheckoutActions,
    private readonly projectActions?: ProjectActions
  ) {
    super();
    this.addClass('jp-HubShare-panel');
  }

  protected render(): JSX.Element {
    return <ConnectedProjectsView model={this.model} trans={this.trans} actions={this.actions} projectActions={this.projectActions} />;
  }
}
