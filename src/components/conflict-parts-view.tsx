import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';
import type { ConflictPart, ConflictParts, Side } from '../model/conflict-parts';
import type { PickerFile } from '../model/conflict-picker-model';

function partTitle(part: ConflictPart, kind: 'cells' | 'hunks', trans: TranslationBundle): string {
  if (part.kind === 'metadata') {
    return trans.__('Notebook metadata');
  }
  return kind === 'hunks' ? trans.__('Lines, part %1', part.key) : trans.__('Cell %1', part.key);
}

function partNote(part: ConflictPart, trans: TranslationBundle): string {
  switch (part.kind) {
    case 'deleted-here':
      return trans.__('You deleted this cell; they changed it.');
    case 'deleted-there':
      return trans.__('You changed this cell; they deleted it.');
    default:
      return trans.__('Both changed it.');
  }
}

function PartSide({ text, side, trans }: { text: string | null; side: Side; trans: TranslationBundle }): JSX.Element {
  return (
    <figure className="jp-HubShare-previewSide">
      <figcaption className="jp-HubShare-previewSideTitle">{side === 'mine' ? trans.__('Mine') : trans.__('Theirs')}</figcaption>
      {text === null ? (
        <p className="jp-HubShare-previewNote">{trans.__('Deleted')}</p>
      ) : (
        <pre className="jp-HubShare-cellSource">{text === '' ? ' ' : text}</pre>
      )}
    </figure>
  );
}

/**
 * Only what both sides changed differently in one file — its colliding cells or hunks, mine
 * beside theirs — each with Keep mine / Keep theirs; everything else merged by itself.
 */
export function ConflictPartsView({
  file,
  parts,
  disabled,
  onPick,
  trans
}: {
  file: PickerFile;
  parts: Extract<ConflictParts, { parts: unknown }>;
  disabled: boolean;
  onPick: (key: string, side: Side) => void;
  trans: TranslationBundle;
}): JSX.Element {
  const summary =
    parts.kind === 'cells'
      ? trans._n('Both sides changed %1 part of this notebook; every other cell merged by itself.', 'Both sides changed %1 parts of this notebook; every other cell merged by itself.', parts.parts.length)
      : trans._n('Both sides changed %1 place in this file; every other line merged by itself.', 'Both sides changed %1 places in this file; every other line merged by itself.', parts.parts.length);
  return (
    <div className="jp-HubShare-parts">
      <p className="jp-HubShare-previewNote">{summary}</p>
      <ul className="jp-HubShare-partList" aria-label={trans.__('Parts both sides changed in %1', file.path)}>
        {parts.parts.map(part => {
          const title = partTitle(part, parts.kind, trans);
          const picked = file.pick ?? file.partPicks[part.key] ?? null;
          return (
            <li key={part.key} className="jp-HubShare-part">
              <div className="jp-HubShare-partHeader">
                <span className="jp-HubShare-rowName">{title}</span>
                <span className="jp-HubShare-rowDetail">{partNote(part, trans)}</span>
                <span className="jp-HubShare-pickButtons" role="group" aria-label={trans.__('Version to keep of %1', title)}>
                  {(['mine', 'theirs'] as const).map(side => (
                    <button
                      key={side}
                      type="button"
                      className="jp-HubShare-pickButton"
                      aria-pressed={picked === side}
                      aria-label={side === 'mine' ? trans.__('Keep mine of %1', title) : trans.__('Keep theirs of %1', title)}
                      disabled={disabled}
                      onClick={() => onPick(part.key, side)}
                    >
                      {side === 'mine' ? trans.__('Keep mine') : trans.__('Keep theirs')}
                    </button>
                  ))}
                </span>
              </div>
              <div className="jp-HubShare-cellPair">
                <PartSide text={part.mine} side="mine" trans={trans} />
                <PartSide text={part.theirs} side="theirs" trans={trans} />
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
