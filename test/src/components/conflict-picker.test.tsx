// @vitest-environment happy-dom
import { nullTranslator } from '@jupyterlab/translation';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import * as React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConflictPickerView } from '../../../src/components/conflict-picker';
import type { CheckoutStatus, ConflictedFile } from '../../../src/model/checkout-status';
import type { ConflictParts } from '../../../src/model/conflict-parts';
import { type ConflictApi, ConflictPickerModel } from '../../../src/model/conflict-picker-model';

vi.mock('@jupyterlab/ui-components', () => import('./ui-components-stub'));

const trans = nullTranslator.load('jupyterlab_hubshare');
const encode = (text: string) => new TextEncoder().encode(text);
const notebook = (source: string, output: string) =>
  JSON.stringify({ cells: [{ cell_type: 'code', source, outputs: [{ output_type: 'stream', text: output }] }], metadata: {}, nbformat: 4, nbformat_minor: 5 });

const files: Record<string, { mine: Uint8Array | null; theirs: Uint8Array | null }> = {
  'data.csv': { mine: encode('q,a\n1,mine\n'), theirs: encode('q,a\n1,theirs\n') },
  'analysis.ipynb': { mine: encode(notebook('x = 1', 'mine ran')), theirs: encode(notebook('x = 2', 'theirs ran')) },
  'plot.png': { mine: new Uint8Array([1, 2, 3]), theirs: new Uint8Array([4, 5, 6]) }
};

/** An agent with the files above; `parts` gives some of them parts to pick (the rest: whole files). */
function agent(parts: Record<string, ConflictParts> = {}) {
  const calls: string[] = [];
  let conflicts: ConflictedFile[] = Object.keys(files)
    .sort()
    .map(path => ({ path, kind: 'both-changed' }));
  const api: ConflictApi = {
    status: async (): Promise<CheckoutStatus> => ({
      root: 'study',
      project: 'bob/study',
      state: 'conflicted',
      changed: [],
      behind: 0,
      ahead: 0,
      conflicts,
      lastChange: null
    }),
    version: async (_checkout, file, side) => files[file][side],
    resolve: async (_checkout, paths, side) => {
      calls.push(`resolve ${side} ${paths.join(',')}`);
      conflicts = conflicts.filter(conflict => !paths.includes(conflict.path));
      return conflicts;
    },
    parts: async (_checkout, file) => parts[file] ?? { kind: 'whole', reason: 'binary' },
    resolvePart: async (_checkout, file, part, side) => {
      calls.push(`part ${side} ${file} ${part}`);
      return conflicts;
    },
    continue: async () => {
      calls.push('continue');
    },
    abort: async () => {
      calls.push('abort');
    }
  };
  return { api, calls };
}

async function renderPicker(api: ConflictApi) {
  const model = new ConflictPickerModel('study', api);
  const callbacks = { onFinished: vi.fn(), onCancelled: vi.fn() };
  render(<ConflictPickerView model={model} trans={trans} callbacks={callbacks} />);
  await model.load();
  await screen.findByRole('list', { name: 'Files to pick a version for' });
  return { model, callbacks };
}

afterEach(cleanup);

describe('ConflictPickerView', () => {
  it('lists each conflicted file with its kind and whether it is picked', async () => {
    await renderPicker(agent().api);
    const list = screen.getByRole('list', { name: 'Files to pick a version for' });
    expect(within(list).getAllByRole('button').map(button => button.getAttribute('aria-label'))).toEqual([
      'analysis.ipynb, notebook, not picked yet',
      'data.csv, text, not picked yet',
      'plot.png, image, not picked yet'
    ]);
  });

  it('previews a notebook cell by cell, with outputs only when asked', async () => {
    const user = userEvent.setup();
    await renderPicker(agent().api);
    const cells = await screen.findByRole('list', { name: 'Cells, mine beside theirs' });
    expect(cells.textContent).toContain('x = 1');
    expect(cells.textContent).toContain('x = 2');
    expect(cells.textContent).not.toContain('theirs ran');
    await user.click(screen.getByRole('checkbox', { name: 'Show outputs' }));
    expect(cells.textContent).toContain('mine ran');
    expect(cells.textContent).toContain('theirs ran');
  });

  it('previews a text file as a line diff and an image as both images', async () => {
    const user = userEvent.setup();
    await renderPicker(agent().api);
    await user.click(screen.getByRole('button', { name: /^data\.csv/ }));
    const table = await screen.findByRole('table');
    const changed = table.querySelectorAll('tr.jp-mod-changed');
    expect(changed).toHaveLength(1);
    expect(changed[0].textContent).toBe('21,mine21,theirs');

    await user.click(screen.getByRole('button', { name: /^plot\.png/ }));
    expect((await screen.findByRole('img', { name: 'Mine: plot.png' })).getAttribute('src')).toBe('data:image/png;base64,AQID');
    expect(screen.getByRole('img', { name: 'Theirs: plot.png' }).getAttribute('src')).toBe('data:image/png;base64,BAUG');
  });

  it('enables Finish only when every file is picked, then resolves and continues', async () => {
    const user = userEvent.setup();
    const { api, calls } = agent();
    const { callbacks } = await renderPicker(api);
    const finish = screen.getByRole('button', { name: 'Finish' });
    expect(finish).toHaveProperty('disabled', true);

    await user.click(screen.getByRole('button', { name: 'Keep mine' }));
    expect(screen.getByRole('button', { name: 'Keep mine' }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByRole('status').textContent).toBe('1 of 3 files picked');
    await user.click(screen.getByRole('button', { name: /^data\.csv/ }));
    await user.click(screen.getByRole('button', { name: 'Keep theirs' }));
    expect(finish).toHaveProperty('disabled', true);
    await user.click(screen.getByRole('button', { name: /^plot\.png/ }));
    await user.click(screen.getByRole('button', { name: 'Keep theirs' }));
    expect(finish).toHaveProperty('disabled', false);

    await user.click(finish);
    await waitFor(() => expect(callbacks.onFinished).toHaveBeenCalled());
    expect(calls).toEqual(['resolve mine analysis.ipynb', 'resolve theirs data.csv,plot.png', 'continue']);
  });

  it('picks every file with All theirs, from the keyboard', async () => {
    const user = userEvent.setup();
    const { api, calls } = agent();
    await renderPicker(api);
    screen.getByRole('button', { name: 'All theirs' }).focus();
    await user.keyboard('{Enter}');
    expect(screen.getByRole('status').textContent).toBe('3 of 3 files picked');
    screen.getByRole('button', { name: 'Finish' }).focus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(calls).toEqual(['resolve theirs analysis.ipynb,data.csv,plot.png', 'continue']));
  });

  it('cancels the pull', async () => {
    const user = userEvent.setup();
    const { api, calls } = agent();
    const { callbacks } = await renderPicker(api);
    await user.click(screen.getByRole('button', { name: 'Cancel pull' }));
    await waitFor(() => expect(callbacks.onCancelled).toHaveBeenCalled());
    expect(calls).toEqual(['abort']);
    expect(screen.getByText('The pull was cancelled: your files are as they were before it.')).toBeTruthy();
  });

  it('shows a failure in words, with the next step', async () => {
    const user = userEvent.setup();
    const { api } = agent();
    await renderPicker({
      ...api,
      abort: async () => {
        throw new Error('The HubShare agent is not answering.');
      }
    });
    await user.click(screen.getByRole('button', { name: 'Cancel pull' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The HubShare agent is not answering. Nothing was changed; try again.');
  });

  it('shows only the cells both sides changed, each with its own pick, and finishes with those picks', async () => {
    const user = userEvent.setup();
    const cellParts: ConflictParts = {
      kind: 'cells',
      parts: [
        { key: 'compute', kind: 'changed', base: 'x = 0', mine: 'x = 1', theirs: 'x = 2', pick: null },
        { key: 'plot', kind: 'deleted-here', base: 'plot(x)', mine: null, theirs: 'plot(x, y)', pick: null }
      ]
    };
    const { api, calls } = agent({ 'analysis.ipynb': cellParts });
    const { callbacks } = await renderPicker(api);
    const parts = await screen.findByRole('list', { name: 'Parts both sides changed in analysis.ipynb' });
    expect(parts.textContent).toContain('Cell compute');
    expect(parts.textContent).toContain('You deleted this cell; they changed it.');
    expect(screen.getByText('Both sides changed 2 parts of this notebook; every other cell merged by itself.')).toBeTruthy();
    // The whole notebooks stay a click away, collapsed.
    expect(screen.getByText('Whole files side by side').closest('details')?.open).toBe(false);

    await user.click(within(parts).getByRole('button', { name: 'Keep theirs of Cell compute' }));
    expect(screen.getByRole('button', { name: /^analysis\.ipynb/ }).getAttribute('aria-label')).toBe('analysis.ipynb, notebook, some parts picked');
    expect(screen.getByRole('status').textContent).toBe('0 of 3 files picked');
    await user.click(within(parts).getByRole('button', { name: 'Keep mine of Cell plot' }));
    expect(screen.getByRole('status').textContent).toBe('1 of 3 files picked');
    expect(within(parts).getByRole('button', { name: 'Keep theirs of Cell compute' }).getAttribute('aria-pressed')).toBe('true');

    await user.click(screen.getByRole('button', { name: 'All mine' }));
    expect(screen.getByRole('status').textContent).toBe('3 of 3 files picked');
    expect(within(parts).getByRole('button', { name: 'Keep mine of Cell compute' }).getAttribute('aria-pressed')).toBe('true');
    await user.click(within(parts).getByRole('button', { name: 'Keep theirs of Cell compute' }));
    await user.click(screen.getByRole('button', { name: 'Finish' }));
    await waitFor(() => expect(callbacks.onFinished).toHaveBeenCalled());
    expect(calls).toEqual(['resolve mine data.csv,plot.png', 'part theirs analysis.ipynb compute', 'part mine analysis.ipynb plot', 'continue']);
  });
});
