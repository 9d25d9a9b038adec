import { describe, expect, it } from 'vitest';
import { cellDiff, fileKindOf, MAX_PREVIEW_BYTES, sideContentOf } from '../../../src/model/file-preview';

const bytes = (text: string) => new TextEncoder().encode(text);
const notebook = (...sources: string[]) =>
  JSON.stringify({
    cells: sources.map(source => ({
      cell_type: 'code',
      source: source.split(/(?<=\n)/),
      outputs: [
        { output_type: 'stream', name: 'stdout', text: [`ran ${source}\n`] },
        { output_type: 'display_data', data: { 'image/png': 'iVBORw0K\nGgo=', 'text/plain': '<Figure>' } }
      ]
    })),
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5
  });

describe('fileKindOf', () => {
  it.each([
    ['analysis/report.ipynb', 'notebook'],
    ['data.csv', 'text'],
    ['README.md', 'text'],
    ['plots/fig.PNG', 'image'],
    ['model.pkl', 'other'],
    ['Makefile', 'other']
  ] as const)('%s is %s', (path, kind) => {
    expect(fileKindOf(path)).toBe(kind);
  });
});

describe('sideContentOf', () => {
  it('reads a notebook cell by cell, with text and image outputs', () => {
    const content = sideContentOf('nb.ipynb', bytes(notebook('x = 1\nx')));
    expect(content).toEqual({
      kind: 'notebook',
      cells: [
        {
          type: 'code',
          source: 'x = 1\nx',
          outputs: [
            { kind: 'text', text: 'ran x = 1\nx\n' },
            { kind: 'image', src: 'data:image/png;base64,iVBORw0KGgo=' }
          ]
        }
      ]
    });
  });

  it('their notebook with trusted HTML and JavaScript outputs previews them only as plain text', () => {
    const theirs = JSON.stringify({
      cells: [
        {
          cell_type: 'code',
          metadata: { trusted: true },
          source: 'show()',
          outputs: [
            { output_type: 'display_data', data: { 'text/html': '<img src=x onerror="alert(1)">', 'text/plain': 'a table' } },
            { output_type: 'display_data', data: { 'application/javascript': 'alert(2)' } },
            { output_type: 'execute_result', data: { 'image/svg+xml': '<svg onload="alert(3)"/>' } }
          ]
        }
      ]
    });
    // The picker shows text as text and images as PNG, JPEG or GIF data: nothing here is markup.
    expect(sideContentOf('theirs.ipynb', bytes(theirs))).toEqual({
      kind: 'notebook',
      cells: [{ type: 'code', source: 'show()', outputs: [{ kind: 'text', text: 'a table' }] }]
    });
  });

  it('shows a notebook that is not valid JSON as text rather than failing', () => {
    expect(sideContentOf('nb.ipynb', bytes('{"cells": ['))).toEqual({ kind: 'unreadable-notebook', text: '{"cells": [' });
  });

  it('makes an image a data URL of its type', () => {
    expect(sideContentOf('fig.png', new Uint8Array([1, 2, 3]))).toEqual({ kind: 'image', src: 'data:image/png;base64,AQID' });
  });

  it('tells a deleted side, a binary file and a file too large to preview apart', () => {
    expect(sideContentOf('a.txt', null)).toEqual({ kind: 'missing' });
    expect(sideContentOf('model.pkl', new Uint8Array([0x80, 0, 1]))).toEqual({ kind: 'binary', size: 3 });
    expect(sideContentOf('big.csv', new Uint8Array(MAX_PREVIEW_BYTES + 1))).toEqual({ kind: 'too-large', size: MAX_PREVIEW_BYTES + 1 });
    expect(sideContentOf('notes', bytes('plain words'))).toEqual({ kind: 'text', text: 'plain words' });
  });
});

describe('cellDiff', () => {
  it('matches cells by type and source, so an inserted cell does not mark the rest as changed', () => {
    const cells = (text: string) => {
      const content = sideContentOf('nb.ipynb', bytes(text));
      return content.kind === 'notebook' ? content.cells : [];
    };
    const rows = cellDiff(cells(notebook('a', 'b')), cells(notebook('a', 'new', 'b')));
    expect(rows.map(row => row.change)).toEqual(['same', 'theirs-only', 'same']);
  });
});
