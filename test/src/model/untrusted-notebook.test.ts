import { describe, expect, it } from 'vitest';
import { notebookToShow, untrustedNotebook } from '../../../src/model/untrusted-notebook';

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

describe('notebookToShow', () => {
  const cells = [{ cell_type: 'code', metadata: { trusted: true }, source: 'x', outputs: [] }];
  const untrusted = [{ cell_type: 'code', metadata: { trusted: false }, source: 'x', outputs: [] }];

  it('is untrusted, and gives a notebook without language_info the language its kernelspec names', () => {
    const notebook = { cells, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } }, nbformat: 4, nbformat_minor: 5 };
    expect(notebookToShow(notebook)).toEqual({ ...notebook, cells: untrusted, metadata: { ...notebook.metadata, language_info: { name: 'python' } } });
    expect(notebook.metadata).not.toHaveProperty('language_info');
  });

  it('keeps a language_info the notebook has, and names no language when nothing says one', () => {
    const own = { cells, metadata: { language_info: { name: 'julia', version: '1.10' } }, nbformat: 4, nbformat_minor: 5 };
    expect(notebookToShow(own)).toEqual({ ...own, cells: untrusted });
    expect(notebookToShow({ cells, metadata: { kernelspec: 'odd' } })).toEqual({ cells: untrusted, metadata: { kernelspec: 'odd', language_info: { name: '' } } });
  });

  it('leaves what is not a notebook, or has no metadata object, as untrustedNotebook does', () => {
    expect(notebookToShow(null)).toBeNull();
    expect(notebookToShow({ cells, metadata: [1] })).toEqual({ cells: untrusted, metadata: [1] });
  });
});
