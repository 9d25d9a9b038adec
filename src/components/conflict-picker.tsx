import type { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';
import type { ConflictKind } from '../model/checkout-status';
import type { ConflictParts } from '../model/conflict-parts';
import { type ConflictPickerModel, type FilePreview, isPicked, type PickerFile, type PickerState, type Side } from '../model/conflict-picker-model';
import { ConflictPartsView } from './conflict-parts-view';
import { type Aligned, lineDiff } from '../model/file-diff';
import { cellDiff, type FileKind, type NotebookCell, type SideContent } from '../model/file-preview';

/** What the picker's buttons do besides changing the model: the plugin closes it and reports. */
export interface PickerCallbacks {
  onFinished(): void;
  onCancelled(): void;
}

function kindLabel(kind: FileKind, trans: TranslationBundle): string {
  return { notebook: trans.__('notebook'), text: trans.__('text'), image: trans.__('image'), other: trans.__('other') }[kind];
}

function conflictLabel(conflict: ConflictKind, trans: TranslationBundle): string {
  switch (conflict) {
    case 'both-changed':
      return trans.__('changed here and there');
    case 'both-added':
      return trans.__('added here and there');
    case 'deleted-by-me':
      return trans.__('deleted here, changed there');
    case 'deleted-by-them':
      return trans.__('changed here, deleted there');
  }
}

function pickLabel(file: PickerFile, trans: TranslationBundle): string {
  if (file.pick === null && Object.keys(file.partPicks).length > 0) {
    return isPicked(file) ? trans.__('parts picked') : trans.__('some parts picked');
  }
  return file.pick === 'mine' ? trans.__('keeping mine') : file.pick === 'theirs' ? trans.__('keeping theirs') : trans.__('not picked yet');
}

/** The parts of a file (cells, hunks) both sides changed, read once per file. */
function useParts(model: ConflictPickerModel, path: string): ConflictParts | null {
  const [parts, setParts] = React.useState<{ path: string; parts: ConflictParts } | null>(null);
  React.useEffect(() => {
    let current = true;
    model.parts(path).then(
      found => current && setParts({ path, parts: found }),
      () => current && setParts({ path, parts: { kind: 'whole', reason: '' } })
    );
    return () => {
      current = false;
    };
  }, [model, path]);
  return parts !== null && parts.path === path ? parts.parts : null;
}

/** The model's current state, kept current. */
function usePickerState(model: ConflictPickerModel): PickerState {
  const [state, setState] = React.useState(model.state);
  React.useEffect(() => {
    const update = (_: ConflictPickerModel, next: PickerState) => setState(next);
    model.changed.connect(update);
    setState(model.state);
    return () => {
      model.changed.disconnect(update);
    };
  }, [model]);
  return state;
}

/** Two texts side by side, line by line, changes marked by colour and by a sign for screen readers. */
export function TextDiffView({ rows, trans }: { rows: Aligned<string>[]; trans: TranslationBundle }): JSX.Element {
  if (rows.length === 0) {
    return <p className="jp-HubShare-previewNote">{trans.__('Both versions are empty.')}</p>;
  }
  const sign = { same: '', changed: trans.__('changed'), 'mine-only': trans.__('only mine'), 'theirs-only': trans.__('only theirs') };
  return (
    <table className="jp-HubShare-diff">
      <colgroup>
        <col className="jp-HubShare-diffNumberColumn" />
        <col />
        <col className="jp-HubShare-diffNumberColumn" />
        <col />
      </colgroup>
      <thead>
        <tr>
          <th scope="col" colSpan={2}>
            {trans.__('Mine')}
          </th>
          <th scope="col" colSpan={2}>
            {trans.__('Theirs')}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row, index) => (
          <tr key={index} className={`jp-HubShare-diffRow jp-mod-${row.change}`} title={sign[row.change] || undefined}>
            <td className="jp-HubShare-diffNumber">{row.mine ? row.mine.index + 1 : ''}</td>
            <td className="jp-HubShare-diffLine jp-mod-mine">{row.mine?.value ?? ''}</td>
            <td className="jp-HubShare-diffNumber">{row.theirs ? row.theirs.index + 1 : ''}</td>
            <td className="jp-HubShare-diffLine jp-mod-theirs">{row.theirs?.value ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function CellView({ cell, showOutputs, trans }: { cell: NotebookCell; showOutputs: boolean; trans: TranslationBundle }): JSX.Element {
  return (
    <div className="jp-HubShare-cell">
      <div className="jp-HubShare-cellType">{cell.type === 'markdown' ? trans.__('Markdown') : cell.type === 'code' ? trans.__('Code') : cell.type}</div>
      <pre className="jp-HubShare-cellSource">{cell.source}</pre>
      {showOutputs &&
        cell.outputs.map((output, index) =>
          output.kind === 'text' ? (
            <pre key={index} className="jp-HubShare-cellOutput">
              {output.text}
            </pre>
          ) : (
            <img key={index} className="jp-HubShare-cellOutput" src={output.src} alt={trans.__('An image output')} />
          )
        )}
    </div>
  );
}

/** Two notebooks cell by cell: a row per cell, mine on the left, theirs on the right. */
export function NotebookDiffView({
  mine,
  theirs,
  showOutputs,
  trans
}: {
  mine: NotebookCell[];
  theirs: NotebookCell[];
  showOutputs: boolean;
  trans: TranslationBundle;
}): JSX.Element {
  const rows = cellDiff(mine, theirs);
  const note = { same: '', changed: trans.__('Changed cell'), 'mine-only': trans.__('Only in mine'), 'theirs-only': trans.__('Only in theirs') };
  return (
    <div className="jp-HubShare-cells" role="list" aria-label={trans.__('Cells, mine beside theirs')}>
      {rows.map((row, index) => (
        <div key={index} role="listitem" className={`jp-HubShare-cellRow jp-mod-${row.change}`}>
          {note[row.change] && <div className="jp-HubShare-cellNote">{note[row.change]}</div>}
          <div className="jp-HubShare-cellPair">
            <div className="jp-HubShare-cellSide">
              {row.mine ? <CellView cell={row.mine.value} showOutputs={showOutputs} trans={trans} /> : <span className="jp-HubShare-previewNote">—</span>}
            </div>
            <div className="jp-HubShare-cellSide">
              {row.theirs ? <CellView cell={row.theirs.value} showOutputs={showOutputs} trans={trans} /> : <span className="jp-HubShare-previewNote">—</span>}
            </div>
          </div>
        </div>
      ))}
    </div>
  );
}

/** What one side shows when it is not text or cells compared with the other side. */
function SideView({ content, side, path, trans }: { content: SideContent; side: Side; path: string; trans: TranslationBundle }): JSX.Element {
  const title = side === 'mine' ? trans.__('Mine') : trans.__('Theirs');
  let body: React.ReactNode;
  switch (content.kind) {
    case 'missing':
      body = side === 'mine' ? trans.__('You deleted this file.') : trans.__('They deleted this file.');
      break;
    case 'image':
      body = <img className="jp-HubShare-previewImage" src={content.src} alt={trans.__('%1: %2', title, path)} />;
      break;
    case 'binary':
      body = trans.__('A file of %1 bytes that cannot be shown here.', content.size);
      break;
    case 'too-large':
      body = trans.__('Too large to preview (%1 bytes): open it from the file browser.', content.size);
      break;
    case 'text':
    case 'unreadable-notebook':
      body = <pre className="jp-HubShare-cellSource">{content.text}</pre>;
      break;
    case 'notebook':
      body = trans.__('A notebook of %1 cells.', content.cells.length);
      break;
  }
  return (
    <figure className="jp-HubShare-previewSide">
      <figcaption className="jp-HubShare-previewSideTitle">{title}</figcaption>
      <div className="jp-HubShare-previewNote">{body}</div>
    </figure>
  );
}

const textOf = (content: SideContent): string | null =>
  content.kind === 'text' || content.kind === 'unreadable-notebook' ? content.text : content.kind === 'missing' ? '' : null;

/** Mine and theirs of one file side by side: a line diff, cells, or both images. */
export function FilePreviewView({ file, preview, showOutputs, trans }: { file: PickerFile; preview: FilePreview; showOutputs: boolean; trans: TranslationBundle }): JSX.Element {
  const { mine, theirs } = preview;
  if (mine.kind === 'notebook' && theirs.kind === 'notebook') {
    return <NotebookDiffView mine={mine.cells} theirs={theirs.cells} showOutputs={showOutputs} trans={trans} />;
  }
  const mineText = textOf(mine);
  const theirsText = textOf(theirs);
  if (mineText !== null && theirsText !== null && mine.kind !== 'missing' && theirs.kind !== 'missing') {
    return <TextDiffView rows={lineDiff(mineText, theirsText)} trans={trans} />;
  }
  return (
    <div className="jp-HubShare-previewSides">
      <SideView content={mine} side="mine" path={file.path} trans={trans} />
      <SideView content={theirs} side="theirs" path={file.path} trans={trans} />
    </div>
  );
}

/** The preview of the selected file: loads both sides, then shows them. */
function PreviewPane({ model, file, trans }: { model: ConflictPickerModel; file: PickerFile; trans: TranslationBundle }): JSX.Element {
  const [loaded, setLoaded] = React.useState<{ path: string; preview?: FilePreview; problem?: string } | null>(null);
  const [showOutputs, setShowOutputs] = React.useState(false);
  React.useEffect(() => {
    let current = true;
    setLoaded(null);
    model.preview(file.path).then(
      preview => current && setLoaded({ path: file.path, preview }),
      (error: unknown) => current && setLoaded({ path: file.path, problem: error instanceof Error ? error.message : String(error) })
    );
    return () => {
      current = false;
    };
  }, [model, file.path]);
  const parts = useParts(model, file.path);
  // Whether the whole files show beside the parts: the user's choice, kept from file to file.
  const [showWhole, setShowWhole] = React.useState(false);
  const disabled = !model.isOpen;
  const headingId = `jp-HubShare-preview-${file.path.replace(/\W+/g, '-')}`;
  const wholePreview =
    loaded === null || loaded.path !== file.path ? (
      <p className="jp-HubShare-previewNote">{trans.__('Loading both versions…')}</p>
    ) : loaded.preview ? (
      <FilePreviewView file={file} preview={loaded.preview} showOutputs={showOutputs} trans={trans} />
    ) : (
      <p className="jp-HubShare-problem" role="alert">
        {trans.__('The versions could not be read: %1 You can still pick one.', loaded.problem ?? '')}
      </p>
    );
  return (
    <section className="jp-HubShare-preview" aria-labelledby={headingId}>
      <div className="jp-HubShare-previewHeader">
        <h3 className="jp-HubShare-previewTitle" id={headingId}>
          {file.path}
        </h3>
        <span className="jp-HubShare-rowDetail">
          {kindLabel(file.kind, trans)} · {conflictLabel(file.conflict, trans)}
        </span>
        {file.kind === 'notebook' && (
          <label className="jp-HubShare-toggle">
            <input type="checkbox" checked={showOutputs} onChange={event => setShowOutputs(event.target.checked)} />
            {trans.__('Show outputs')}
          </label>
        )}
        <span className="jp-HubShare-pickButtons" role="group" aria-label={trans.__('Version to keep of %1', file.path)}>
          {(['mine', 'theirs'] as const).map(side => (
            <button
              key={side}
              type="button"
              className="jp-HubShare-pickButton"
              aria-pressed={file.pick === side}
              disabled={disabled}
              onClick={() => model.pick(file.path, side)}
            >
              {side === 'mine' ? trans.__('Keep mine') : trans.__('Keep theirs')}
            </button>
          ))}
        </span>
      </div>
      <div className="jp-HubShare-previewBody" tabIndex={0} aria-label={trans.__('Mine and theirs of %1', file.path)}>
        {parts !== null && parts.kind !== 'whole' && parts.parts.length > 0 ? (
          <>
            <ConflictPartsView file={file} parts={parts} disabled={disabled} onPick={(key, side) => model.pickPart(file.path, key, side)} trans={trans} />
            <details className="jp-HubShare-wholeFiles" open={showWhole} onToggle={event => setShowWhole(event.currentTarget.open)}>
              <summary>{trans.__('Whole files side by side')}</summary>
              {wholePreview}
            </details>
          </>
        ) : (
          wholePreview
        )}
      </div>
    </section>
  );
}

/**
 * The conflict picker: the files a pull stopped at, a preview of mine and theirs of the selected
 * one, a pick per file (or for all), then Finish, or Cancel pull to get back what I had.
 */
export function ConflictPickerView({ model, trans, callbacks }: { model: ConflictPickerModel; trans: TranslationBundle; callbacks: PickerCallbacks }): JSX.Element {
  const state = usePickerState(model);
  const [selected, setSelected] = React.useState<string | null>(null);
  const file = state.files.find(candidate => candidate.path === selected) ?? state.files[0];
  const picked = state.files.filter(isPicked).length;
  const busy = state.phase === 'finishing' || state.phase === 'cancelling';
  const open = state.phase === 'picking';

  let body: React.ReactNode;
  if (state.phase === 'loading') {
    body = <p className="jp-HubShare-previewNote">{trans.__('Reading the files that need a pick…')}</p>;
  } else if (state.phase === 'no-pull') {
    body = <p className="jp-HubShare-previewNote">{trans.__('No pull is waiting for picks in %1: it was finished or cancelled.', model.checkout)}</p>;
  } else if (state.phase === 'finished') {
    body = <p className="jp-HubShare-previewNote">{trans.__('Done: your picks are in place and the pull is complete.')}</p>;
  } else if (state.phase === 'cancelled') {
    body = <p className="jp-HubShare-previewNote">{trans.__('The pull was cancelled: your files are as they were before it.')}</p>;
  } else {
    body = (
      <div className="jp-HubShare-pickerBody">
        <ul className="jp-HubShare-pickerFiles" aria-label={trans.__('Files to pick a version for')}>
          {state.files.map(candidate => (
            <li key={candidate.path}>
              <button
                type="button"
                className="jp-HubShare-pickerFile"
                aria-current={candidate === file ? 'true' : undefined}
                aria-label={trans.__('%1, %2, %3', candidate.path, kindLabel(candidate.kind, trans), pickLabel(candidate, trans))}
                onClick={() => setSelected(candidate.path)}
              >
                <span className="jp-HubShare-rowName">{candidate.path}</span>
                <span className="jp-HubShare-rowDetail">{kindLabel(candidate.kind, trans)}</span>
                <span className={`jp-HubShare-pickState jp-mod-${candidate.pick ?? (isPicked(candidate) ? 'parts' : 'none')}`}>{pickLabel(candidate, trans)}</span>
              </button>
            </li>
          ))}
        </ul>
        {file && <PreviewPane model={model} file={file} trans={trans} />}
      </div>
    );
  }

  return (
    <div className="jp-HubShare-picker">
      <div className="jp-HubShare-pickerHeader">
        <h2 className="jp-HubShare-pickerTitle">{trans.__('Pick a version of each file in %1', model.checkout || trans.__('(the root folder)'))}</h2>
        <p className="jp-HubShare-rowDetail">
          {trans.__(
            'You and others changed the same parts of these files; everything else merged by itself. Keep mine keeps your version as you had it; Keep theirs takes the one they pushed — for a whole file, or for one cell or place in it.'
          )}
        </p>
      </div>
      <div className="jp-HubShare-pickerActions">
        <button type="button" className="jp-HubShare-textButton" disabled={!open} onClick={() => model.pickAll('mine')}>
          {trans.__('All mine')}
        </button>
        <button type="button" className="jp-HubShare-textButton" disabled={!open} onClick={() => model.pickAll('theirs')}>
          {trans.__('All theirs')}
        </button>
        <span className="jp-HubShare-pickerProgress" role="status">
          {open ? trans.__('%1 of %2 files picked', picked, state.files.length) : busy ? trans.__('Working…') : ''}
        </span>
        <button
          type="button"
          className="jp-HubShare-textButton"
          disabled={!open}
          onClick={() => void model.cancel().then(done => done && callbacks.onCancelled())}
        >
          {trans.__('Cancel pull')}
        </button>
        <button
          type="button"
          className="jp-HubShare-textButton jp-mod-accept"
          disabled={!model.canFinish}
          onClick={() => void model.finish().then(done => done && callbacks.onFinished())}
        >
          {trans.__('Finish')}
        </button>
      </div>
      {state.problem && (
        <div className="jp-HubShare-problem" role="alert">
          {state.problem}
        </div>
      )}
      {body}
    </div>
  );
}

/** The conflict picker in JupyterLab's main area, one per checkout. */
export class ConflictPickerWidget extends ReactWidget {
  constructor(
    readonly model: ConflictPickerModel,
    private readonly trans: TranslationBundle,
    private readonly callbacks: PickerCallbacks
  ) {
    super();
    this.addClass('jp-HubShare-pickerWidget');
  }

  protected render(): JSX.Element {
    return <ConflictPickerView model={this.model} trans={this.trans} callbacks={this.callbacks} />;
  }

  dispose(): void {
    this.model.dispose();
    super.dispose();
  }
}
