import { describe, expect, it } from 'vitest';
import { untrustedNotebook } from '../../../src/model/untrusted-notebook';

describe('untrustedNotebook', () => {
  it('marks every cell untrusted, whatever the author wrote, and keeps the rest', () => {
    const notebook = {
      cells: [
        { cell_type: 'code', metadata: { trusted: true, collapsed: false }, source: 'x', outputs: [] },
        { cell_type: 'markdown', source: 'y' },
        { cell_type: 'code', metadata: 'not an object', source: 'z', outputs: [] }
      ],
      metadata: { kernelspec: { name: 'python3' } },
      nbformat: 4,
      nbformat_minor: 5
    };
    expect(untrustedNotebook(notebook)).toEqual({
      ...notebook,
      cells: [
        { cell_type: 'code', metadata: { trusted: false, collapsed: false }, source: 'x', outputs: [] },
        { cell_type: 'markdown', metadata: { trusted: false }, source: 'y' },
        { cell_type: 'code', metadata: { trusted: false }, source: 'z', outputs: [] }
      ]
    });
    expect(notebook.cells[0].metadata).toEqual({ trusted: true, collapsed: false });
  });

  it('leaves what is not a notebook as it is', () => {
    expect(untrustedNotebook(null)).toBeNull();
    expect(untrustedNotebook([1])).toEqual([1]);
    expect(untrustedNotebook({ cells: 'none' })).toEqual({ cells: 'none' });
  });
});
