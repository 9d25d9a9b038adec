import { afterAll, describe, expect, it } from 'vitest';
import { mergeNotebooks, parseNotebook } from '../../../../../server/agent/checkouts/merge/notebook-merge';
import { validateNotebooks } from '../nbformat-validator';

interface CellSpec {
  id?: string;
  source: string;
  type?: 'code' | 'markdown';
  outputs?: string[];
  count?: number | null;
}

/** A notebook as Jupyter writes it (indent 1, trailing newline), with ids unless told otherwise. */
function notebook(cells: CellSpec[], options: { minor?: number; metadata?: Record<string, unknown> } = {}): string {
  return `${JSON.stringify(
    {
      cells: cells.map(cell =>
        (cell.type ?? 'code') === 'code'
          ? {
              cell_type: 'code',
              execution_count: cell.count ?? null,
              ...(cell.id === undefined ? {} : { id: cell.id }),
              metadata: {},
              outputs: (cell.outputs ?? []).map(text => ({ name: 'stdout', output_type: 'stream', text })),
              source: cell.source
            }
          : { cell_type: 'markdown', ...(cell.id === undefined ? {} : { id: cell.id }), metadata: {}, source: cell.source }
      ),
      metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' }, ...options.metadata },
      nbformat: 4,
      nbformat_minor: options.minor ?? 5
    },
    null,
    1
  )}\n`;
}

const sources = (text: string) => parseNotebook(text)?.cells.map(cell => (Array.isArray(cell.source) ? cell.source.join('') : cell.source));

function merged(base: string, mine: string, theirs: string): string {
  const result = mergeNotebooks(base, mine, theirs);
  if (!result.merged) {
    throw new Error(`expected a merge, got: ${result.reason}`);
  }
  expect(parseNotebook(result.text), 'a valid notebook').not.toBeNull();
  results.push(result.text);
  return result.text;
}

// Every merge of this file, validated at the end by the real nbformat (one Python start).
const results: string[] = [];
afterAll(() => validateNotebooks(results));

const cellsWithIds: CellSpec[] = ['a', 'b', 'c', 'd'].map(id => ({ id, source: `x_${id} = 1` }));
const cellsWithoutIds: CellSpec[] = cellsWithIds.map(({ source }) => ({ source }));

describe.each([
  ['with cell ids (nbformat 4.5)', cellsWithIds, 5],
  ['without cell ids (nbformat 4.4)', cellsWithoutIds, 4]
])('merging notebooks by cell, %s', (_, cells, minor) => {
  const nb = (list: CellSpec[]) => notebook(list, { minor });
  const base = nb(cells);
  const edit = (index: number, source: string) => cells.map((cell, i) => (i === index ? { ...cell, source } : cell));

  it('merges edits to different cells', () => {
    const text = merged(base, nb(edit(0, 'x_a = "mine"')), nb(edit(3, 'x_d = "theirs"')));
    expect(sources(text)).toEqual(['x_a = "mine"', 'x_b = 1', 'x_c = 1', 'x_d = "theirs"']);
  });

  it('merges a cell added on one side with an edit on the other', () => {
    const added = [...cells.slice(0, 2), { ...(cells[0].id ? { id: 'new' } : {}), source: 'added = True' }, ...cells.slice(2)];
    const text = merged(base, nb(added), nb(edit(3, 'x_d = "theirs"')));
    expect(sources(text)).toEqual(['x_a = 1', 'x_b = 1', 'added = True', 'x_c = 1', 'x_d = "theirs"']);
  });

  it('merges a cell deleted on one side with an edit to another cell on the other', () => {
    const text = merged(base, nb(cells.filter((_, i) => i !== 1)), nb(edit(3, 'x_d = "theirs"')));
    expect(sources(text)).toEqual(['x_a = 1', 'x_c = 1', 'x_d = "theirs"']);
  });

  it('keeps both when each side adds a different cell at the end', () => {
    const mine = [...cells, { ...(cells[0].id ? { id: 'm1' } : {}), source: 'mine_new = 1' }];
    const theirs = [...cells, { ...(cells[0].id ? { id: 't1' } : {}), source: 'theirs_new = 1' }];
    expect(sources(merged(base, nb(mine), nb(theirs)))).toEqual(['x_a = 1', 'x_b = 1', 'x_c = 1', 'x_d = 1', 'mine_new = 1', 'theirs_new = 1']);
  });

  it('never asks about outputs: when both re-ran a cell it keeps mine and says so', () => {
    const mine = cells.map(cell => ({ ...cell, outputs: ['mine\n'], count: 1 }));
    const theirs = cells.map(cell => ({ ...cell, outputs: ['theirs\n'], count: 7 }));
    const result = mergeNotebooks(base, nb(mine), nb(theirs));
    expect(result).toMatchObject({ merged: true, keptMyOutputs: true });
    expect(result.merged && result.text).toBe(nb(mine));
  });

  it('takes their outputs for a cell only they re-ran, and theirs with their source', () => {
    const theirs = cells.map((cell, i) => (i === 0 ? { ...cell, outputs: ['ran\n'], count: 3 } : i === 2 ? { ...cell, source: 'x_c = 2', outputs: ['two\n'], count: 4 } : cell));
    const mine = edit(3, 'x_d = "mine"');
    const text = merged(base, nb(mine), nb(theirs));
    const parsed = parseNotebook(text);
    expect(parsed?.cells[0].outputs).toEqual([{ name: 'stdout', output_type: 'stream', text: 'ran\n' }]);
    expect(parsed?.cells[2]).toMatchObject({ source: 'x_c = 2', execution_count: 4 });
    expect(parsed?.cells[3].source).toBe('x_d = "mine"');
  });

  it('asks when both changed the same cell differently', () => {
    expect(mergeNotebooks(base, nb(edit(1, 'x_b = "mine"')), nb(edit(1, 'x_b = "theirs"')))).toMatchObject({ merged: false });
  });

  it('asks when one side changed a cell the other deleted', () => {
    expect(mergeNotebooks(base, nb(edit(1, 'x_b = "mine"')), nb(cells.filter((_, i) => i !== 1)))).toMatchObject({ merged: false });
  });

  it('gives the same edit made on both sides once', () => {
    expect(sources(merged(base, nb(edit(2, 'same = 1')), nb(edit(2, 'same = 1'))))).toEqual(['x_a = 1', 'x_b = 1', 'same = 1', 'x_d = 1']);
  });
});

describe('merging notebooks: metadata and layout', () => {
  const base = notebook(cellsWithIds);

  it('merges notebook metadata key by key and asks only when both changed the same key', () => {
    const mine = notebook(cellsWithIds, { metadata: { authors: ['alice'] } });
    const theirs = notebook(cellsWithIds, { metadata: { kernelspec: { display_name: 'R', language: 'R', name: 'ir' } } });
    const result = merged(base, mine, theirs);
    expect(parseNotebook(result)?.metadata).toMatchObject({ authors: ['alice'], kernelspec: { name: 'ir' } });
    const theirsToo = notebook(cellsWithIds, { metadata: { authors: ['bob'] } });
    expect(mergeNotebooks(base, mine, theirsToo)).toMatchObject({ merged: false });
  });

  it('writes the merge in my file\'s layout, so an unchanged notebook stays byte for byte the same', () => {
    const mine = notebook(cellsWithIds.map((cell, i) => (i === 0 ? { ...cell, source: 'mine' } : cell)));
    expect(merged(base, mine, base)).toBe(mine);
    const twoSpaces = JSON.stringify(JSON.parse(mine), null, 2);
    expect(merged(base, twoSpaces, base)).toBe(twoSpaces);
  });

  it('refuses what is not a notebook it can merge, and cells moved on one side', () => {
    expect(mergeNotebooks(base, '{"cells": "nope"}', base)).toMatchObject({ merged: false });
    expect(mergeNotebooks(base, notebook([...cellsWithIds].reverse()), notebook(cellsWithIds.map(c => ({ ...c, source: `${c.source}!` }))))).toMatchObject({ merged: false });
  });

  it('gives cells an id when one side saved nbformat 4.4 and the other 4.5, so the merge is valid 4.5', () => {
    const base44 = notebook(cellsWithoutIds, { minor: 4 });
    const mine44 = notebook(cellsWithoutIds.map((cell, i) => (i === 0 ? { ...cell, source: 'mine' } : cell)), { minor: 4 });
    const theirs45 = notebook(cellsWithoutIds.map((cell, i) => (i === 3 ? { ...cell, source: 'theirs' } : cell)), { minor: 5 });
    const result = parseNotebook(merged(base44, mine44, theirs45));
    expect(result?.nbformat_minor).toBe(5);
    expect(result?.cells.map(cell => (Array.isArray(cell.source) ? cell.source.join('') : cell.source))).toEqual(['mine', 'x_b = 1', 'x_c = 1', 'theirs']);
    const ids = result?.cells.map(cell => cell.id) ?? [];
    expect(new Set(ids).size).toBe(4);
    expect(ids.every(id => typeof id === 'string' && /^[0-9a-f]{8}$/.test(id))).toBe(true);
    expect(Object.keys(result?.cells[0] ?? {})).toEqual(['cell_type', 'execution_count', 'id', 'metadata', 'outputs', 'source']);
  });

  it('lists each colliding cell and the metadata, and merges once each has a pick', () => {
    const spec = (edits: Record<number, string | null>) => cellsWithIds.flatMap((cell, i) => (edits[i] === null ? [] : [{ ...cell, source: edits[i] ?? cell.source }]));
    const mine = notebook(spec({ 0: 'mine', 1: 'changed here', 3: null }), { metadata: { title: 'mine' } });
    const theirs = notebook(spec({ 0: 'theirs', 1: null, 2: 'theirs only', 3: 'changed there' }), { metadata: { title: 'theirs' } });
    const result = mergeNotebooks(base, mine, theirs);
    expect(result).toMatchObject({ merged: false });
    const collisions = result.merged ? [] : result.collisions;
    expect(collisions.map(({ key, kind, mine: m, theirs: t }) => ({ key, kind, m, t }))).toEqual([
      { key: 'a', kind: 'changed', m: 'mine', t: 'theirs' },
      { key: 'b', kind: 'deleted-there', m: 'changed here', t: null },
      { key: 'd', kind: 'deleted-here', m: null, t: 'changed there' },
      { key: 'metadata', kind: 'metadata', m: expect.stringContaining('"mine"'), t: expect.stringContaining('"theirs"') }
    ]);
    const picks = new Map([['a', 'theirs'], ['b', 'theirs'], ['d', 'theirs']] as const);
    expect(mergeNotebooks(base, mine, theirs, picks)).toMatchObject({ merged: false, collisions: [{ key: 'metadata' }] });
    const text = mergeNotebooks(base, mine, theirs, new Map([...picks, ['metadata', 'mine']]));
    expect(text.merged).toBe(true);
    if (text.merged) {
      results.push(text.text);
      expect(sources(text.text)).toEqual(['theirs', 'theirs only', 'changed there']);
      expect(parseNotebook(text.text)?.metadata).toMatchObject({ title: 'mine' });
    }
  });

  it('matches cells by content when a save gave every cell a new id, and asks only about the cell both changed', () => {
    const renewed = (prefix: string, edits: Record<number, string>) => cellsWithIds.map((cell, i) => ({ ...cell, id: `${prefix}${i}`, source: edits[i] ?? cell.source }));
    // Both wrote the notebook anew (new ids everywhere), and both changed cell 2.
    const both = mergeNotebooks(base, notebook(renewed('m', { 1: 'mine' })), notebook(renewed('t', { 1: 'theirs' })));
    expect(both).toMatchObject({ merged: false, collisions: [{ key: '2', kind: 'changed', mine: 'mine', theirs: 'theirs' }] });
    // Only I wrote it anew; they changed another cell: merged, with my ids.
    const text = merged(base, notebook(renewed('m', { 1: 'mine' })), notebook(cellsWithIds.map((cell, i) => (i === 3 ? { ...cell, source: 'theirs' } : cell))));
    expect(sources(text)).toEqual(['x_a = 1', 'mine', 'x_c = 1', 'theirs']);
    expect(parseNotebook(text)?.cells.map(cell => cell.id)).toEqual(['m0', 'm1', 'm2', 'm3']);
  });
});
