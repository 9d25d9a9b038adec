// Three-way merge of Jupyter notebooks (nbformat 4) by cell. Cells are matched by their `id`
// (nbformat >= 4.5) or, for notebooks without ids, by aligning their sources (alignment.ts). Edits
// to different cells, cells added on one side and cells deleted on one side while another changed
// on the other all merge; only the same cell (or the same metadata key) changed differently on
// both sides is a collision. Outputs and execution counts never are: they follow the source kept.
import { randomUUID } from 'node:crypto';
import { alignCells } from './alignment';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface Cell extends JsonObject {
  cell_type: string;
  source: string | string[];
  metadata: JsonObject;
}

interface Notebook extends JsonObject {
  cells: Cell[];
  metadata: JsonObject;
  nbformat: number;
  nbformat_minor: number;
}

/** A side to keep where both changed the same thing. */
export type Pick = 'mine' | 'theirs';

/**
 * Something both sides changed differently, that one pick settles: a cell (by its id, or for
 * notebooks without ids by its number in the last common version, from 1), or the notebook's
 * metadata (key `metadata`). The sources are null where that side deleted the cell.
 */
export interface CellCollision {
  key: string;
  kind: 'changed' | 'deleted-here' | 'deleted-there' | 'metadata';
  base: string | null;
  mine: string | null;
  theirs: string | null;
}

/** The key a notebook's metadata collision goes by. */
export const METADATA_KEY = 'metadata';

/**
 * The merged notebook as the bytes to write, or why it needs a pick. `collisions` lists what
 * per-cell picks can settle; empty when only a pick of the whole file can (cells moved, not a
 * notebook, ...).
 */
export type NotebookMerge = { merged: true; text: string; keptMyOutputs: boolean; cells: number } | { merged: false; reason: string; collisions: CellCollision[] };

/** What only records how a cell was last run or shown: when both sides differ, mine is kept. */
const RUN_STATE = new Set(['outputs', 'execution_count']);
const VIEW_METADATA = new Set(['collapsed', 'scrolled', 'execution', 'jupyter']);
const RUN_NOTEBOOK_METADATA = new Set(['language_info', 'widgets']);

const START = '\0start';

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function same(a: Json | undefined, b: Json | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function sourceText(cell: Cell): string {
  return Array.isArray(cell.source) ? cell.source.join('') : cell.source;
}

/** The notebook in `text`, when it is one HubShare can merge (nbformat 4, cells with sources). */
export function parseNotebook(text: string): Notebook | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(value) || value.nbformat !== 4 || !Array.isArray(value.cells) || !isObject(value.metadata)) {
    return null;
  }
  const cells = value.cells as unknown[];
  const valid = cells.every(
    cell =>
      isObject(cell) &&
      ['code', 'markdown', 'raw'].includes(String(cell.cell_type)) &&
      (typeof cell.source === 'string' || (Array.isArray(cell.source) && cell.source.every(line => typeof line === 'string'))) &&
      isObject(cell.metadata) &&
      (cell.cell_type !== 'code' || Array.isArray(cell.outputs))
  );
  return valid ? (value as Notebook) : null;
}

/** Three-way merge of one JSON object's keys; null names the key both sides changed differently. */
function mergeKeys(base: JsonObject, mine: JsonObject, theirs: JsonObject, keepMine: ReadonlySet<string>, prefer?: Pick): { merged: JsonObject } | { collision: string } {
  const merged: JsonObject = {};
  const keys = [...new Set([...Object.keys(mine), ...Object.keys(theirs), ...Object.keys(base)])];
  for (const key of keys) {
    const [b, m, t] = [base[key], mine[key], theirs[key]];
    let value: Json | undefined;
    if (same(m, t) || same(t, b)) {
      value = m;
    } else if (same(m, b)) {
      value = t;
    } else if (keepMine.has(key) || prefer === 'mine') {
      value = m;
    } else if (prefer === 'theirs') {
      value = t;
    } else {
      return { collision: key };
    }
    if (value !== undefined) {
      merged[key] = value;
    }
  }
  return { merged };
}

/** A cell without what only records how it was last run (outputs, execution count). */
function withoutRunState(cell: Cell): JsonObject {
  return Object.fromEntries(Object.entries(cell).filter(([key]) => !RUN_STATE.has(key)));
}

/** How a cell was last run: its outputs and execution count. */
function runState(cell: Cell): JsonObject {
  return Object.fromEntries(Object.entries(cell).filter(([key]) => RUN_STATE.has(key)));
}

/** Whether a side left a cell as it was in the base, apart from how it was last run or shown. */
function unchangedFrom(base: Cell, cell: Cell): boolean {
  const viewless = (metadata: JsonObject) => Object.fromEntries(Object.entries(metadata).filter(([key]) => !VIEW_METADATA.has(key)));
  const essence = (c: Cell) => ({ ...withoutRunState(c), source: sourceText(c), metadata: viewless(c.metadata) });
  return same(essence(base), essence(cell));
}

/** One cell both sides kept: merged field by field, or null when both changed the same field. */
function mergeCell(base: Cell, mine: Cell, theirs: Cell, notes: { keptMyOutputs: boolean }, byId = true): Cell | null {
  const sources = { base: sourceText(base), mine: sourceText(mine), theirs: sourceText(theirs) };
  if (sources.mine !== sources.theirs && sources.mine !== sources.base && sources.theirs !== sources.base) {
    return null;
  }
  const theirSource = sources.mine === sources.base && sources.theirs !== sources.base;
  const metadata = mergeKeys(base.metadata, mine.metadata, theirs.metadata, VIEW_METADATA);
  // Every other field (cell_type, attachments, id) by the same rule as metadata keys.
  // Matched by content, a cell's id is no field of its own: each save may have given it a new one (mine is kept).
  const others = (cell: Cell) => Object.fromEntries(Object.entries(withoutRunState(cell)).filter(([key]) => key !== 'source' && key !== 'metadata' && (byId || key !== 'id')));
  const fields = mergeKeys(others(base), others(mine), others(theirs), new Set());
  if ('collision' in metadata || 'collision' in fields) {
    return null;
  }
  // Outputs belong to the source: theirs with their source; else a three-way pick, mine when both re-ran.
  const run = { base: runState(base), mine: runState(mine), theirs: runState(theirs) };
  let kept = run.mine;
  if (theirSource || (sources.mine === sources.theirs && same(run.mine, run.base))) {
    kept = run.theirs;
  } else if (!same(run.mine, run.theirs) && !same(run.theirs, run.base) && sources.mine === sources.theirs) {
    notes.keptMyOutputs = true;
  }
  const ownId = mine.id ?? theirs.id;
  const id: JsonObject = byId || ownId === undefined ? {} : { id: ownId };
  const merged: JsonObject = { ...fields.merged, ...id, source: theirSource ? theirs.source : mine.source, metadata: metadata.merged, ...kept };
  // In my cell's key order, then whatever only theirs has.
  const cell: JsonObject = {};
  for (const key of new Set([...Object.keys(mine), ...Object.keys(merged)])) {
    if (merged[key] !== undefined) {
      cell[key] = merged[key];
    }
  }
  return cell as Cell;
}

/** A key for every cell of the three versions: ids when all have them, else an alignment. */
function cellKeys(base: Cell[], mine: Cell[], theirs: Cell[]): { base: string[]; mine: string[]; theirs: string[]; byId: boolean } | null {
  const ids = (cells: Cell[]) => cells.map(cell => (typeof cell.id === 'string' && cell.id !== '' ? cell.id : null));
  const all = [ids(base), ids(mine), ids(theirs)];
  // Ids match cells only when each side kept some of the base's: a notebook written anew (by a
  // tool, or a save that gave every cell a new id) is matched by content instead.
  const baseIds = new Set(all[0]);
  const keptSome = (list: (string | null)[]) => baseIds.size === 0 || list.some(id => id !== null && baseIds.has(id));
  if (all.every(list => list.every(id => id !== null) && new Set(list).size === list.length) && keptSome(all[1]) && keptSome(all[2])) {
    return { base: all[0] as string[], mine: all[1] as string[], theirs: all[2] as string[], byId: true };
  }
  const baseKeys = base.map((_, index) => `b${index}`);
  const side = (cells: Cell[], prefix: string) => {
    const pairs = alignCells(base.map(sourceOf), cells.map(sourceOf));
    return pairs === null ? null : cells.map((_, index) => (pairs[index] === undefined ? `${prefix}${index}` : baseKeys[pairs[index]]));
  };
  const sourceOf = (cell: Cell) => `${cell.cell_type}\0${sourceText(cell)}`;
  const mineKeys = side(mine, 'm');
  const theirKeys = side(theirs, 't');
  return mineKeys && theirKeys ? { base: baseKeys, mine: mineKeys, theirs: theirKeys, byId: false } : null;
}

/** The cells a side added, by the base cell they follow (START for the top). */
function insertions(keys: string[], cells: Cell[], baseKeys: ReadonlySet<string>): Map<string, { key: string; cell: Cell }[]> {
  const byAnchor = new Map<string, { key: string; cell: Cell }[]>();
  let anchor = START;
  keys.forEach((key, index) => {
    if (baseKeys.has(key)) {
      anchor = key;
    } else {
      byAnchor.set(anchor, [...(byAnchor.get(anchor) ?? []), { key, cell: cells[index] }]);
    }
  });
  return byAnchor;
}

/** Whether a side kept the base cells it kept in the base's order (a move is not merged). */
function keptInOrder(keys: string[], baseOrder: string[]): boolean {
  const kept = new Set(keys);
  const expected = baseOrder.filter(key => kept.has(key));
  return same(
    keys.filter(key => baseOrder.includes(key)),
    expected
  );
}

/**
 * Merges mine and theirs, both changed from base, cell by cell. `picks` settle collisions (by
 * their key) a previous answer listed. The result keeps my file's layout (indent, key order,
 * trailing newline), so the next diff shows only what changed.
 */
export function mergeNotebooks(baseText: string, mineText: string, theirsText: string, picks: ReadonlyMap<string, Pick> = new Map()): NotebookMerge {
  const [base, mine, theirs] = [parseNotebook(baseText), parseNotebook(mineText), parseNotebook(theirsText)];
  const whole = (reason: string): NotebookMerge => ({ merged: false, reason, collisions: [] });
  if (!base || !mine || !theirs) {
    return whole('not a notebook HubShare can merge by cell (nbformat 4)');
  }
  const keys = cellKeys(base.cells, mine.cells, theirs.cells);
  if (!keys) {
    return whole('too many cells to align');
  }
  if (!keptInOrder(keys.mine, keys.base) || !keptInOrder(keys.theirs, keys.base)) {
    return whole('cells were moved');
  }
  const baseKeys = new Set(keys.base);
  const mineByKey = new Map(keys.mine.map((key, index) => [key, mine.cells[index]]));
  const theirsByKey = new Map(keys.theirs.map((key, index) => [key, theirs.cells[index]]));
  const added = { mine: insertions(keys.mine, mine.cells, baseKeys), theirs: insertions(keys.theirs, theirs.cells, baseKeys) };
  const notes = { keptMyOutputs: false };
  const cells: Cell[] = [];
  const collisions: CellCollision[] = [];
  const nameOf = (key: string, index: number) => (keys.byId ? key : String(index + 1));
  /**
   * The cells each side added after a base cell (or at the top): both sides' (mine first), one
   * copy when both added the same. Nothing is lost, so nothing asks; only two new cells with one
   * id cannot both stay.
   */
  const addInsertions = (anchor: string): boolean => {
    const mineAdded = added.mine.get(anchor) ?? [];
    const theirsAdded = added.theirs.get(anchor) ?? [];
    cells.push(...mineAdded.map(entry => entry.cell));
    if (!same(mineAdded.map(entry => entry.cell), theirsAdded.map(entry => entry.cell))) {
      const mineKeys = new Set(mineAdded.map(entry => entry.key));
      if (theirsAdded.some(entry => mineKeys.has(entry.key))) {
        return false;
      }
      cells.push(...theirsAdded.map(entry => entry.cell));
    }
    return true;
  };
  if (!addInsertions(START)) {
    return whole('both sides added a cell with the same id');
  }
  for (const [index, key] of keys.base.entries()) {
    const baseCell = base.cells[index];
    const [mineCell, theirCell] = [mineByKey.get(key), theirsByKey.get(key)];
    const collision = collisionOf(baseCell, mineCell, theirCell, notes, keys.byId);
    if (collision === null) {
      // Kept on both sides: merged (it does not collide). Deleted on one, unchanged on the other: gone.
      const cell = mineCell && theirCell ? mergeCell(baseCell, mineCell, theirCell, notes, keys.byId) : null;
      if (cell) {
        cells.push(cell);
      }
    } else {
      const name = nameOf(key, index);
      const pick = picks.get(name);
      const kept = pick === 'theirs' ? theirCell : mineCell;
      if (pick === undefined) {
        collisions.push({ key: name, kind: collision, base: sourceText(baseCell), mine: mineCell ? sourceText(mineCell) : null, theirs: theirCell ? sourceText(theirCell) : null });
      }
      if (kept) {
        cells.push(kept);
      }
    }
    if (!addInsertions(key)) {
      return whole('both sides added a cell with the same id');
    }
  }
  const metadata = mergeKeys(base.metadata, mine.metadata, theirs.metadata, RUN_NOTEBOOK_METADATA, picks.get(METADATA_KEY));
  if ('collision' in metadata) {
    const text = (notebook: Notebook) => JSON.stringify(notebook.metadata, null, 1);
    collisions.push({ key: METADATA_KEY, kind: 'metadata', base: text(base), mine: text(mine), theirs: text(theirs) });
  }
  if (collisions.length > 0 || 'collision' in metadata) {
    return { merged: false, reason: collisions.length === 1 && collisions[0].kind === 'metadata' ? "both sides changed the notebook's metadata" : 'both sides changed the same cell', collisions };
  }
  const ids = cells.map(cell => cell.id).filter(id => id !== undefined);
  if (new Set(ids.map(id => JSON.stringify(id))).size !== ids.length) {
    return whole('two cells would have the same id');
  }
  const minor = Math.max(mine.nbformat_minor, theirs.nbformat_minor);
  if (minor >= 5) {
    giveIds(cells);
  }
  const notebook: JsonObject = {};
  for (const key of new Set([...Object.keys(mine), ...Object.keys(theirs)])) {
    notebook[key] = key === 'cells' ? cells : key === 'metadata' ? metadata.merged : key === 'nbformat_minor' ? minor : key in mine ? mine[key] : theirs[key];
  }
  return { merged: true, text: serializeLike(mineText, notebook), keptMyOutputs: notes.keptMyOutputs, cells: cells.length };
}

/** Whether one base cell collides: both changed it differently, or one deleted what the other changed. */
function collisionOf(base: Cell, mine: Cell | undefined, theirs: Cell | undefined, notes: { keptMyOutputs: boolean }, byId: boolean): CellCollision['kind'] | null {
  if (mine && theirs) {
    return mergeCell(base, mine, theirs, { ...notes }, byId) === null ? 'changed' : null;
  }
  if (mine && !unchangedFrom(base, mine)) {
    return 'deleted-there';
  }
  if (theirs && !unchangedFrom(base, theirs)) {
    return 'deleted-here';
  }
  return null;
}

/**
 * nbformat 4.5 requires an id on every cell: when one side saved 4.4 (no ids) and the other 4.5,
 * the cells without one get a new id, as Jupyter gives them when it upgrades a notebook.
 */
function giveIds(cells: Cell[]): void {
  const taken = new Set(cells.map(cell => cell.id));
  for (const [index, cell] of cells.entries()) {
    if (typeof cell.id !== 'string' || cell.id === '') {
      let id = randomUUID().slice(0, 8);
      while (taken.has(id)) {
        id = randomUUID().slice(0, 8);
      }
      taken.add(id);
      // Where Jupyter puts it: it writes keys sorted, so keep a sorted cell sorted.
      const keys = Object.keys(cell);
      const sorted = keys.every((key, at) => at === 0 || keys[at - 1] < key);
      const entries: [string, Json][] = [...Object.entries(cell), ['id', id]];
      cells[index] = Object.fromEntries(sorted ? entries.sort(([a], [b]) => (a < b ? -1 : 1)) : entries) as Cell;
    }
  }
}

/** `value` as JSON in the layout of `model` (its indent and trailing newline; Jupyter writes indent 1). */
function serializeLike(model: string, value: Json): string {
  const indent = /^\{\r?\n([ \t]+)"/.exec(model)?.[1] ?? ' ';
  const text = JSON.stringify(value, null, indent);
  return model.endsWith('\n') ? `${text}\n` : text;
}
