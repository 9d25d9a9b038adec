import { describe, expect, it } from 'vitest';
import { type HistoryApi, ProjectHistoryModel } from '../../../src/model/project-history';

const commit = (id: string) => ({
  id,
  subject: `commit ${id}`,
  message: `commit ${id}`,
  author: { name: 'Bob', email: '', date: '2026-11-02T09:00:00.000Z' },
  committer: { name: 'Bob', email: '', date: '2026-11-02T09:00:00.000Z' }
});

function api(failDiff = false): HistoryApi & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    log: async (_project, cursor) => {
      asked.push(`log ${cursor ?? 'start'}`);
      return cursor === null ? { commits: [commit('c3'), commit('c2')], next: 'c2' } : { commits: [commit('c1')], next: null };
    },
    diff: async (_project, id) => {
      asked.push(`diff ${id}`);
      if (failDiff) {
        throw new Error('The HubShare service cannot be reached.');
      }
      return { files: [{ path: `${id}.txt`, status: 'modified', binary: false, patch: '--- a\n+++ b\n' }] };
    }
  };
}

describe('ProjectHistoryModel', () => {
  it('loads the newest commits and shows what the latest one changed', async () => {
    const history = api();
    const model = new ProjectHistoryModel('bob/results', history);
    let changes = 0;
    model.changed.connect(() => void changes++);
    await model.load();
    expect(model.commits.map(c => c.id)).toEqual(['c3', 'c2']);
    expect(model.selected).toBe('c3');
    expect(model.changes?.map(change => change.path)).toEqual(['c3.txt']);
    expect(model.hasMore).toBe(true);
    expect(changes).toBeGreaterThan(0);

    await model.loadMore();
    expect(model.commits.map(c => c.id)).toEqual(['c3', 'c2', 'c1']);
    expect(model.hasMore).toBe(false);
    expect(history.asked).toEqual(['log start', 'diff c3', 'log c2']);
  });

  it('keeps the error in words and stops loading when a request fails', async () => {
    const model = new ProjectHistoryModel('bob/results', api(true));
    await model.load();
    expect(model.error).toBe('The HubShare service cannot be reached.');
    expect(model.busy).toBe(false);
    expect(model.changes).toBeNull();
  });
});
