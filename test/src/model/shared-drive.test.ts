import { ServerConnection } from '@jupyterlab/services';
import { describe, expect, it } from 'vitest';
import { type BrowseApi, ReadOnlyProjectError, SharedDrive, type TreeAnswer } from '../../../src/model/shared-drive';
import { PagedProjectsService, project, projectsOf } from './paged-projects';

const notebookText = JSON.stringify({ cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 });

/** A notebook whose author marked its cells trusted, with outputs that would run their script. */
const hostileNotebookText = JSON.stringify({
  cells: [
    {
      cell_type: 'code',
      id: 'a',
      metadata: { trusted: true, tags: ['kept'] },
      source: '',
      execution_count: 1,
      outputs: [{ output_type: 'display_data', metadata: {}, data: { 'text/html': '<img src=x onerror="window.owned=1">' } }]
    },
    { cell_type: 'markdown', id: 'b', metadata: { trusted: true }, source: '<b>hi</b>' },
    { cell_type: 'raw', id: 'c', source: '' }
  ],
  metadata: {},
  nbformat: 4,
  nbformat_minor: 5
});

/** A stand-in for the agent's browse API holding one project's files, bob/results, and a listing of the projects. */
function fakeApi(listing = new PagedProjectsService([project('bob', 'results'), project('bob', 'other'), project('carol', 'x')])): BrowseApi & { calls: string[] } {
  const calls: string[] = [];
  const trees: Record<string, TreeAnswer> = {
    '': {
      commit: 'c1',
      entry: { name: '', path: '', type: 'tree' },
      entries: [
        { name: 'data', path: 'data', type: 'tree' },
        { name: 'report.ipynb', path: 'report.ipynb', type: 'blob', size: notebookText.length },
        { name: 'plot.png', path: 'plot.png', type: 'blob', size: 3 },
        { name: 'vendored', path: 'vendored', type: 'submodule' }
      ]
    },
    'report.ipynb': { commit: 'c1', entry: { name: 'report.ipynb', path: 'report.ipynb', type: 'blob', size: notebookText.length }, entries: null },
    'hostile.ipynb': { commit: 'c1', entry: { name: 'hostile.ipynb', path: 'hostile.ipynb', type: 'blob', size: hostileNotebookText.length }, entries: null },
    'plot.png': { commit: 'c1', entry: { name: 'plot.png', path: 'plot.png', type: 'blob', size: 3 }, entries: null },
    'data/a.csv': { commit: 'c1', entry: { name: 'a.csv', path: 'data/a.csv', type: 'blob', size: 4 }, entries: null }
  };
  const files: Record<string, Blob> = {
    'report.ipynb': new Blob([notebookText]),
    'hostile.ipynb': new Blob([hostileNotebookText]),
    'plot.png': new Blob([new Uint8Array([1, 2, 255])]),
    'data/a.csv': new Blob(['a,b\n'])
  };
  return {
    calls,
    projects: page => listing.read({ scope: 'all', ...page }),
    tree: async (name, path) => {
      calls.push(`tree ${name} ${path}`);
      const answer = trees[path];
      if (!answer) {
        throw new Error('no such path');
      }
      return answer;
    },
    file: async (_name, path) => files[path],
    lastCommit: async (_name, ref) => {
      calls.push(`log ${ref}`);
      return { id: ref, subject: 's', message: 's', author: { name: 'Bob', email: '', date: '' }, committer: { name: 'Bob', email: '', date: '2026-11-02T09:00:00.000Z' } };
    },
    downloadUrl: (name, path) => `http://lab/hubshare/api/browse/${name}/blob/HEAD/${path}`
  };
}

const settings = ServerConnection.makeSettings({ baseUrl: 'http://lab/' });

describe('the read-only HubShare drive', () => {
  it('lists owners at the root and their readable projects one level down', async () => {
    const drive = new SharedDrive(fakeApi(), undefined, settings);
    const root = await drive.get('');
    expect((root.content as { name: string; type: string }[]).map(item => [item.name, item.type])).toEqual([
      ['bob', 'directory'],
      ['carol', 'directory']
    ]);
    const bob = await drive.get('bob');
    expect((bob.content as { path: string }[]).map(item => item.path)).toEqual(['bob/other', 'bob/results']);
    await expect(drive.get('nobody')).rejects.toThrow(/no project of "nobody"/);
  });

  it('reads every page of the listing for the root’s owners, 500 projects a request', async () => {
    const owners = Array.from({ length: 30 }, (_, index) => `user-${String(index).padStart(2, '0')}`);
    const listing = new PagedProjectsService(owners.flatMap(owner => projectsOf(owner, 40)));
    const root = await new SharedDrive(fakeApi(listing), undefined, settings).get('');
    expect((root.content as { name: string }[]).map(item => item.name)).toEqual(owners);
    expect(listing.requests.map(request => [request.limit, request.q])).toEqual([
      [500, undefined],
      [500, undefined],
      [500, undefined]
    ]);
  });

  it('reads an owner’s folder through the name filter, and stops once past the owner’s projects', async () => {
    const listing = new PagedProjectsService([
      ...projectsOf('ann', 300, 'bob-copy'),
      ...projectsOf('bob', 650),
      ...projectsOf('bobby', 1000),
      ...projectsOf('carol', 50)
    ]);
    const folder = await new SharedDrive(fakeApi(listing), undefined, settings).get('bob');
    const paths = (folder.content as { path: string }[]).map(item => item.path);
    expect(paths).toEqual(projectsOf('bob', 650).map(p => `bob/${p.name}`));
    // ann's copies and bob's first 200, then bob's other 450 and bobby's first 50: two pages of five.
    expect(listing.requests.map(request => request.q)).toEqual(['bob', 'bob']);
  });

  it('lists a project\'s files read-only, dated by the commit, without submodules', async () => {
    const api = fakeApi();
    const drive = new SharedDrive(api, undefined, settings);
    const listing = await drive.get('bob/results');
    const items = listing.content as { name: string; path: string; type: string; writable: boolean; last_modified: string }[];
    expect(items.map(item => [item.path, item.type])).toEqual([
      ['bob/results/data', 'directory'],
      ['bob/results/report.ipynb', 'notebook'],
      ['bob/results/plot.png', 'file']
    ]);
    expect(items.every(item => !item.writable && item.last_modified === '2026-11-02T09:00:00.000Z')).toBe(true);
    await drive.get('bob/results');
    expect(api.calls.filter(call => call.startsWith('log'))).toEqual(['log c1']);
  });

  it('opens a notebook as JSON, an image as base64, a CSV as text', async () => {
    const drive = new SharedDrive(fakeApi(), undefined, settings);
    const notebook = await drive.get('bob/results/report.ipynb', { content: true });
    expect(notebook).toMatchObject({ type: 'notebook', format: 'json', writable: false, content: { nbformat: 4 } });
    const image = await drive.get('bob/results/plot.png', { content: true, format: 'base64' });
    expect(image).toMatchObject({ type: 'file', format: 'base64', mimetype: 'image/png', content: btoa(String.fromCharCode(1, 2, 255)) });
    const csv = await drive.get('bob/results/data/a.csv', { content: true, format: 'text' });
    expect(csv).toMatchObject({ format: 'text', mimetype: 'text/csv', content: 'a,b\n' });
  });

  it('a notebook whose author marked its cells trusted opens with every cell untrusted', async () => {
    const drive = new SharedDrive(fakeApi(), undefined, settings);
    const opened = await drive.get('bob/results/hostile.ipynb');
    const cells = (opened.content as { cells: { cell_type: string; metadata: Record<string, unknown>; outputs?: unknown[] }[] }).cells;
    expect(cells.map(cell => cell.metadata.trusted)).toEqual([false, false, false]);
    expect(cells[0].metadata.tags).toEqual(['kept']);
    expect(cells[0].outputs).toHaveLength(1);
  });

  it('refuses every change, and offers a checkout on save without a second error dialog', async () => {
    const offered: string[] = [];
    const drive = new SharedDrive(fakeApi(), async path => void offered.push(path), settings);
    await expect(drive.delete('bob/results/report.ipynb')).rejects.toBeInstanceOf(ReadOnlyProjectError);
    await expect(drive.rename('bob/results/report.ipynb')).rejects.toThrow(/read-only here/);
    await expect(drive.newUntitled({ path: 'bob/results' })).rejects.toThrow(/read-only/);
    await expect(drive.createCheckpoint('bob/results/report.ipynb')).rejects.toThrow(/read-only/);
    expect(await drive.listCheckpoints()).toEqual([]);
    expect(offered).toEqual([]);
    const saving = drive.save('bob/results/report.ipynb');
    await expect(saving).rejects.toMatchObject({ name: 'ModalCancelError' });
    expect(offered).toEqual(['bob/results/report.ipynb']);
  });

  it('hands out a download link through the agent', async () => {
    const drive = new SharedDrive(fakeApi(), undefined, settings);
    expect(await drive.getDownloadUrl('bob/results/data/a.csv')).toBe('http://lab/hubshare/api/browse/bob/results/blob/HEAD/data/a.csv');
  });
});
