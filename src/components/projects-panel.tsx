import type { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget, refreshIcon } from '@jupyterlab/ui-components';
import * as React from 'react';
import { projectsIcon } from '../icons';
import type { ConnectionState } from '../model/agent-status';
import type { ConnectionModel } from '../model/connection-model';

interface ViewProps {
  state: ConnectionState;
  trans: TranslationBundle;
  onRefresh: () => void;
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

/** What the panel shows under the connection line when there is nothing to list. */
function EmptyState({ state, trans }: Omit<ViewProps, 'onRefresh'>): JSX.Element | null {
  if (state.kind === 'checking') {
    return null;
  }
  if (state.kind !== 'connected') {
    return (
      <div className="jp-HubShare-empty">
        <p className="jp-HubShare-emptyTitle">{trans.__('Projects appear here once HubShare is connected.')}</p>
        <p>{trans.__('Fix the problem above, then press Refresh. Your files stay where they are in the meantime.')}</p>
      </div>
    );
  }
  return (
    <div className="jp-HubShare-empty">
      <projectsIcon.react className="jp-HubShare-emptyIcon" tag="span" elementSize="xlarge" />
      <p className="jp-HubShare-emptyTitle">{trans.__('Nothing shared yet')}</p>
      <p>
        {trans.__(
          'A project is a folder of notebooks, data and code that you share with other users of this hub, with every version kept.'
        )}
      </p>
      <p>
        {trans.__(
          'Projects you publish, projects others share with you, and the checkouts in your workspace will be listed here.'
        )}
      </p>
    </div>
  );
}

/** The whole panel, for one connection state. */
export function ProjectsView({ state, trans, onRefresh }: ViewProps): JSX.Element {
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
      <EmptyState state={state} trans={trans} />
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
function ConnectedProjectsView({ model, trans }: { model: ConnectionModel; trans: TranslationBundle }): JSX.Element {
  const state = useConnectionState(model);
  return <ProjectsView state={state} trans={trans} onRefresh={() => void model.refresh()} />;
}

/** The "Projects" sidebar panel: a Lumino widget rendering `ProjectsView` from the model. */
export class ProjectsPanel extends ReactWidget {
  constructor(
    private readonly model: ConnectionModel,
    private readonly trans: TranslationBundle
  ) {
    super();
    this.addClass('jp-HubShare-panel');
  }

  protected render(): JSX.Element {
    return <ConnectedProjectsView model={this.model} trans={this.trans} />;
  }
}
