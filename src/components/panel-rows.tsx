import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';
import { type CheckoutSummary, hubShareProject, type ProjectSummary } from '../model/agent-status';
import { badgeOf, canPush, type CheckoutStatus } from '../model/checkout-status';
import { LastChangeView, StatusBadgeView } from './status-badge';
import type { VirtualRowProps } from './virtual-list';

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

/** A project the user can read, with what they can do with it. */
export function ProjectRow({
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
export function RowButton(props: { label: string; ariaLabel: string; disabled: boolean; onClick: () => void }): JSX.Element {
  return (
    <button type="button" className="jp-HubShare-textButton" disabled={props.disabled} aria-label={props.ariaLabel} onClick={props.onClick}>
      {props.label}
    </button>
  );
}

/** A checkout on this server: its status badge, its operations, who changed it last. */
export function CheckoutRow({
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
