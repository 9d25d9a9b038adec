import type { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import React from 'react';
import type { FileChange, ProjectHistoryModel } from '../model/project-history';
import { useModel } from './use-model';

function Patch({ patch }: { patch: string }): JSX.Element {
  // The two header lines name the files, which the heading above already does.
  const lines = patch.replace(/\n$/, '').split('\n').slice(2);
  return (
    // Focusable, so keyboard users can scroll a wide patch sideways.
    <pre className="jp-HubShare-patch" tabIndex={0}>
      {lines.map((line, index) => (
        <span
          key={index}
          className={`jp-HubShare-patchLine${line.startsWith('+') ? ' jp-mod-added' : line.startsWith('-') ? ' jp-mod-removed' : line.startsWith('@@') ? ' jp-mod-hunk' : ''}`}
        >
          {line || ' '}
        </span>
      ))}
    </pre>
  );
}

function Change({ change, trans }: { change: FileChange; trans: TranslationBundle }): JSX.Element {
  const status = { added: trans.__('added'), deleted: trans.__('deleted'), modified: trans.__('changed'), 'type-changed': trans.__('changed kind') }[change.status];
  return (
    <li className="jp-HubShare-change">
      <h3 className="jp-HubShare-changePath">
        <span className={`jp-HubShare-changeStatus jp-mod-${change.status}`}>{status}</span> {change.path}
      </h3>
      {change.patch ? (
        <Patch patch={change.patch} />
      ) : (
        <p className="jp-HubShare-muted">{change.patchOmitted === 'binary' ? trans.__('A binary file: no text to compare.') : trans.__('Too large to show here.')}</p>
      )}
    </li>
  );
}

/** A project's commits (who, when, what) and, beside them, what the selected one changed. */
export function ProjectHistoryView({ model, trans }: { model: ProjectHistoryModel; trans: TranslationBundle }): JSX.Element {
  useModel(model);
  const selected = model.commits.find(commit => commit.id === model.selected);
  return (
    <div className="jp-HubShare-history">
      <nav className="jp-HubShare-historyList" aria-label={trans.__('Versions of %1', model.project)}>
        <ul>
          {model.commits.map(commit => (
            <li key={commit.id}>
              <button
                type="button"
                className="jp-HubShare-historyItem"
                aria-current={commit.id === model.selected ? 'true' : undefined}
                onClick={() => void model.select(commit.id)}
              >
                <span className="jp-HubShare-historySubject">{commit.subject || trans.__('(no description)')}</span>
                <span className="jp-HubShare-muted">
                  {commit.author.name} · {new Date(commit.committer.date).toLocaleString()}
                </span>
              </button>
            </li>
          ))}
        </ul>
        {model.hasMore && (
          <button type="button" className="jp-HubShare-textButton" disabled={model.busy} onClick={() => void model.loadMore()}>
            {trans.__('Show older versions')}
          </button>
        )}
      </nav>
      <section className="jp-HubShare-historyChanges" aria-label={trans.__('What changed')} aria-busy={model.busy} tabIndex={0}>
        {model.error && (
          <p className="jp-HubShare-error" role="alert">
            {model.error}
          </p>
        )}
        {selected && (
          <h2 className="jp-HubShare-historyTitle">
            {trans.__('What changed in "%1"', selected.subject)}
            <span className="jp-HubShare-muted"> — {selected.author.name}</span>
          </h2>
        )}
        {model.changes && model.changes.length === 0 && <p className="jp-HubShare-muted">{trans.__('No files changed.')}</p>}
        {model.changes && (
          <ul className="jp-HubShare-changes">
            {model.changes.map(change => (
              <Change key={change.path} change={change} trans={trans} />
            ))}
          </ul>
        )}
        {!model.busy && model.commits.length === 0 && !model.error && <p className="jp-HubShare-muted">{trans.__('Nothing was pushed yet.')}</p>}
      </section>
    </div>
  );
}

/** The history view as a widget for the main area. */
export class ProjectHistoryWidget extends ReactWidget {
  constructor(
    private readonly model: ProjectHistoryModel,
    private readonly trans: TranslationBundle
  ) {
    super();
    this.addClass('jp-HubShare-historyWidget');
  }

  protected render(): JSX.Element {
    return <ProjectHistoryView model={this.model} trans={this.trans} />;
  }
}
