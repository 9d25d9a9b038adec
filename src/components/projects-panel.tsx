import type { TranslationBundle } from '@jupyterlab/translation';
import { FilterBox, ReactWidget, refreshIcon } from '@jupyterlab/ui-components';
import * as React from 'react';
import { projectsIcon } from '../icons';
import { type CheckoutSummary, type ConnectionState, filteredListing, hubShareProject, type Listing, type ProjectSummary } from '../model/agent-status';
import { badgeOf, canPush, type CheckoutStatus } from '../model/checkout-status';
import type { ConnectionModel } from '../model/connection-model';
import { LastChangeView, StatusBadgeView } from './status-badge';
import { VirtualList, type VirtualRowProps } from './virtual-list';

/** What a checkout row can start; each returns when the operation has finished (or failed). */
export interface CheckoutActions {
  push(path: string): Promise<void>;
  pull(path: string): Promise<void>;
  /** Opens the conflict picker of a checkout whose pull waits for picks. */
  resolve(path: string): Promise<void>;
  /** The Share dialog of the checkout's project. */
  share(path: string): void;
  /** The Publish dialog for a folder cloned from a URL (which has no project to push to yet). */
  publish(path: string): void;
  /** Shows the checkout's folder in the file browser. */
  openFolder(path: string): void;
  /** The history of the checkout's project (`owner/name`). */
  history(project: string): void;
}

/** What a project row (or the Teams section) can open. */
export interface ProjectActions {
  /** Its files, read-only, without a pull. */
  browse(project: string): void;
  history(project: string): void;
  /** The Check out dialog, with this project chosen. */
  checkOut(project: string): void;
  /** The Share dialog (offered on projects the user administers). */
  share(project: string): void;
  manageTeams(): void;
}

interface ViewProps {
  state: ConnectionState;
  trans: TranslationBundle;
  onRefresh: () => void;
  actions?: CheckoutActions;
  projectActions?: ProjectActions;
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

/** One titled section of the panel: a heading and its list, or nothing when empty. */
/** Rows of a long section are this tall (px), so it can render only those in view. */
const ROW_HEIGHTS = { checkout: 72, project: 52 };
const MAX_SECTION_HEIGHT = 520;

function Section({
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
  const id = `jp-HubShare-section-${title.replace(/\W+/g, '-').toLowerCase()}`;
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

function ProjectRow({
  project,
  trans,
  actions,
  itemProps
}: { project: ProjectSummary; trans: TranslationBundle; actions?: ProjectActions } & VirtualRowProps): JSX.Element {
  const level = { read: trans.__('can read'), write: trans.__('can push'), admin: trans.__('admin') }[project.myLevel];
  const full = `${project.owner}/${project.name}`;
  return (
    <li className="jp-HubShare-row" title={project.description || undefined} {...itemProps}>
      <span className="jp-HubShare-rowName">{full}</span>
      <span className="jp-HubShare-rowDetail">
        {level} · {project.visibility === 'hub' ? trans.__('everyone on the hub') : trans.__('private')}
      </span>
      {actions && (
        <span className="jp-HubShare-rowActions">
          <RowButton label={trans.__('Check out…')} ariaLabel={trans.__('Check out %1', full)} disabled={false} onClick={() => actions.checkOut(full)} />
          <RowButton label={trans.__('Browse')} ariaLabel={trans.__('Browse %1 without checking out', full)} disabled={false} onClick={() => actions.browse(full)} />
          <RowButton label={trans.__('History')} ariaLabel={trans.__('Show the history of %1', full)} disabled={false} onClick={() => actions.history(full)} />
          {project.myLevel === 'admin' && (
            <RowButton label={trans.__('Share…')} ariaLabel={trans.__('Share %1', full)} disabled={false} onClick={() => actions.share(full)} />
          )}
        </span>
      )}
    </li>
  );
}

/** A small text button on a row, labelled for screen readers with what it acts on. */
function RowButton(props: { label: string; ariaLabel: string; disabled: boolean; onClick: () => void }): JSX.Element {
  return (
    <button type="button" className="jp-HubShare-textButton" disabled={props.disabled} aria-label={props.ariaLabel} onClick={props.onClick}>
      {props.label}
    </button>
  );
}

function CheckoutRow({
  checkout,
  status,
  trans,
  actions,
  itemProps
}: {
  checkout: CheckoutSummary;
  status: CheckoutStatus | undefined;
  trans: TranslationBundle;
  actions?: CheckoutActions;
} & VirtualRowProps): JSX.Element {
  const [busy, setBusy] = React.useState(false);
  const name = checkout.path || trans.__('(the root folder)');
  // Known once its status is: a HubShare project (`owner/name`), not a clone from a URL.
  const project = hubShareProject(status?.project);
  // Gone or unshared: the files stay, Pull can be tried again (and says why not), nothing else applies.
  const lost = status?.state === 'no-access';
  const pushable = canPush(checkout, status);
  // One operation at a time per row: the buttons stay disabled until it has finished.
  const run = (operation: (path: string) => Promise<void>) => {
    setBusy(true);
    void operation(checkout.path).finally(() => setBusy(false));
  };
  return (
    <li className="jp-HubShare-row" data-path={checkout.path} {...itemProps}>
      <span className="jp-HubShare-rowName">{name}</span>
      <StatusBadgeView badge={badgeOf(checkout, status)} trans={trans} />
      {actions && (
        <span className="jp-HubShare-rowActions">
          {checkout.conflicted ? (
            <RowButton label={trans.__('Resolve…')} ariaLabel={trans.__('Resolve conflicts in %1', name)} disabled={busy} onClick={() => run(actions.resolve)} />
          ) : (
            <>
              <RowButton label={trans.__('Pull')} ariaLabel={trans.__('Pull %1', name)} disabled={busy} onClick={() => run(actions.pull)} />
              {pushable && (
                <RowButton label={trans.__('Push')} ariaLabel={trans.__('Push %1', name)} disabled={busy} onClick={() => run(actions.push)} />
              )}
            </>
          )}
          {pushable && <RowButton label={trans.__('Share…')} ariaLabel={trans.__('Share %1', name)} disabled={false} onClick={() => actions.share(checkout.path)} />}
          {checkout.source === 'url' && (
            <RowButton label={trans.__('Publish…')} ariaLabel={trans.__('Publish %1 as a project', name)} disabled={busy} onClick={() => actions.publish(checkout.path)} />
          )}
          <RowButton label={trans.__('Open')} ariaLabel={trans.__('Open the folder %1', name)} disabled={false} onClick={() => actions.openFolder(checkout.path)} />
          {project && !lost && (
            <RowButton label={trans.__('History')} ariaLabel={trans.__('Show the history of %1', name)} disabled={false} onClick={() => actions.history(project)} />
          )}
        </span>
      )}
      {status && <LastChangeView lastChange={status.lastChange} trans={trans} />}
    </li>
  );
}

/**
 * JupyterLab's filter box over the panel's lists. Its test is JupyterLab's own (the file
 * browser's); the box gets an accessible name, which FilterBox does not give it.
 */
function ListFilter({ trans, onChange }: { trans: TranslationBundle; onChange: (keeps: (text: string) => boolean) => void }): JSX.Element {
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
    (test: (item: string) => unknown) => onChange(text => test(text) !== null),
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
  projectActions
}: {
  listing: Listing;
  teams: string[];
  trans: TranslationBundle;
  actions?: CheckoutActions;
  projectActions?: ProjectActions;
}): JSX.Element {
  const [keeps, setKeeps] = React.useState<(text: string) => boolean>(() => () => true);
  const onFilterChange = React.useCallback((next: (text: string) => boolean) => setKeeps(() => next), []);
  const listing = filteredListing(all, keeps);
  const totalOf = (l: Listing) => l.checkouts.length + l.mine.length + l.sharedWithMe.length;
  const total = totalOf(all);
  return (
    <div className="jp-HubShare-lists">
      {total > 0 && <ListFilter trans={trans} onChange={onFilterChange} />}
      {total > 0 && totalOf(listing) === 0 && (
        <p className="jp-HubShare-noMatch" role="status">
          {trans.__('Nothing matches the filter.')}
        </p>
      )}
      {listing.problem && (
        <div className="jp-HubShare-problem" role="alert">
          {trans.__('Your projects could not be listed: %1', listing.problem)}
        </div>
      )}
      <Section title={trans.__('On this server')} count={listing.checkouts.length} rowHeight={ROW_HEIGHTS.checkout}>
        {listing.checkouts.map(checkout => (
          <CheckoutRow key={checkout.path} checkout={checkout} status={listing.statuses[checkout.path]} trans={trans} actions={actions} />
        ))}
      </Section>
      <Section title={trans.__('Shared with me')} count={listing.sharedWithMe.length} rowHeight={ROW_HEIGHTS.project}>
        {listing.sharedWithMe.map(project => (
          <ProjectRow key={`${project.owner}/${project.name}`} project={project} trans={trans} actions={projectActions} />
        ))}
      </Section>
      <Section title={trans.__('My projects')} count={listing.mine.length} rowHeight={ROW_HEIGHTS.project}>
        {listing.mine.map(project => (
          <ProjectRow key={`${project.owner}/${project.name}`} project={project} trans={trans} actions={projectActions} />
        ))}
      </Section>
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
      {total === 0 && !listing.problem && (
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
function Body({ state, trans, actions, projectActions }: Omit<ViewProps, 'onRefresh'>): JSX.Element | null {
  if (state.kind === 'checking') {
    return null;
  }
  if (state.kind === 'connected') {
    return <Lists listing={state.listing} teams={state.status.service.user?.teams ?? []} trans={trans} actions={actions} projectActions={projectActions} />;
  }
  return (
    <div className="jp-HubShare-empty">
      <p className="jp-HubShare-emptyTitle">{trans.__('Projects appear here once HubShare is connected.')}</p>
      <p>{trans.__('Fix the problem above, then press Refresh. Your files stay where they are in the meantime.')}</p>
    </div>
  );
}

/** The whole panel, for one connection state. */
export function ProjectsView({ state, trans, onRefresh, actions, projectActions }: ViewProps): JSX.Element {
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
      <Body state={state} trans={trans} actions={actions} projectActions={projectActions} />
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

/** Connects `ProjectsView` to the model. */
function ConnectedProjectsView({
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
  return <ProjectsView state={state} trans={trans} onRefresh={() => void model.refresh()} actions={actions} projectActions={projectActions} />;
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
