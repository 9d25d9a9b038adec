import { describe, expect, it } from 'vitest';
import type { CheckoutStatus, ConflictedFile } from '../../../src/model/checkout-status';
import { type ConflictApi, ConflictPickerModel, type Side, whileBusy } from '../../../src/model/conflict-picker-model';
import { HubShareRequestError } from '../../../src/request';

/** An agent that keeps conflicts like the real one: resolve removes them, continue needs none left. */
function fakeAgent(files: ConflictedFile[]) {
  let waiting = [...files];
  const calls: string[] = [];
  const status = (): CheckoutStatus => ({
    root: 'study',
    project: 'bob/study',
    state: waiting.length > 0 || calls.every(call => !call.startsWith('continue')) ? 'conflicted' : 'clean',
    changed: [],
    behind: 0,
    ahead: 0,
    conflicts: waiting,
    lastChange: null
  });
  const api: ConflictApi = {
    status: async () => status(),
    version: async (_checkout, file, side) => (file === 'gone.txt' && side === 'theirs' ? null : new TextEncoder().encode(`${side} of ${file}\n`)),
    resolve: async (_checkout, paths, side: Side) => {
      calls.push(`resolve ${side} ${paths.join(',')}`);
      waiting = waiting.filter(file => !paths.includes(file.path));
      return waiting;
    },
    parts: async () => ({ kind: 'whole', reason: 'test' }),
    resolvePart: async () => waiting,
    continue: async () => {
      if (waiting.length > 0) {
        throw new HubShareRequestError(409, 'conflicts_left', 'Pick mine or theirs first.');
      }
      calls.push('continue');
    },
    abort: async () => {
      calls.push('abort');
    }
  };
  return { api, calls };
}

const conflicts: ConflictedFile[] = [
  { path: 'analysis.ipynb', kind: 'both-changed' },
  { path: 'data.csv', kind: 'both-changed' },
  { path: 'gone.txt', kind: 'deleted-by-them' }
];

async function loaded(api: ConflictApi): Promise<ConflictPickerModel> {
  const model = new ConflictPickerModel('study', api);
  await model.load();
  return model;
}

describe('ConflictPickerModel', () => {
  it('lists every conflicted file with its kind, none picked yet', async () => {
    const model = await loaded(fakeAgent(conflicts).api);
    expect(model.state.phase).toBe('picking');
    expect(model.state.files.map(file => [file.path, file.kind, file.conflict, file.pick])).toEqual([
      ['analysis.ipynb', 'notebook', 'both-changed', null],
      ['data.csv', 'text', 'both-changed', null],
      ['gone.txt', 'text', 'deleted-by-them', null]
    ]);
  });

  it('enables Finish only once every file is picked', async () => {
    const model = await loaded(fakeAgent(conflicts).api);
    expect(model.canFinish).toBe(false);
    model.pick('analysis.ipynb', 'mine');
    model.pick('data.csv', 'theirs');
    expect(model.canFinish).toBe(false);
    model.pick('gone.txt', 'mine');
    expect(model.canFinish).toBe(true);
  });

  it('picks the same side for all with All mine / All theirs, overriding single picks', async () => {
    const model = await loaded(fakeAgent(conflicts).api);
    model.pick('data.csv', 'theirs');
    model.pickAll('mine');
    expect(model.state.files.map(file => file.pick)).toEqual(['mine', 'mine', 'mine']);
    expect(model.canFinish).toBe(true);
    model.pickAll('theirs');
    expect(model.state.files.map(file => file.pick)).toEqual(['theirs', 'theirs', 'theirs']);
  });

  it('finishes with one resolve per side, then continue', async () => {
    const agent = fakeAgent(conflicts);
    const model = await loaded(agent.api);
    model.pick('analysis.ipynb', 'mine');
    model.pick('data.csv', 'theirs');
    model.pick('gone.txt', 'mine');
    expect(await model.finish()).toBe(true);
    expect(agent.calls).toEqual(['resolve mine analysis.ipynb,gone.txt', 'resolve theirs data.csv', 'continue']);
    expect(model.state.phase).toBe('finished');
  });

  it('does nothing on Finish while a file is unpicked', async () => {
    const agent = fakeAgent(conflicts);
    const model = await loaded(agent.api);
    model.pick('data.csv', 'theirs');
    expect(await model.finish()).toBe(false);
    expect(agent.calls).toEqual([]);
  });

  it('skips files picked elsewhere meanwhile (the file browser) instead of failing on them', async () => {
    const agent = fakeAgent(conflicts);
    const model = await loaded(agent.api);
    model.pickAll('theirs');
    await agent.api.resolve('study', ['data.csv'], 'mine');
    agent.calls.length = 0;
    expect(await model.finish()).toBe(true);
    expect(agent.calls).toEqual(['resolve theirs analysis.ipynb,gone.txt', 'continue']);
  });

  it('keeps the picks and says what to do when finishing fails', async () => {
    const agent = fakeAgent(conflicts);
    const model = await loaded({
      ...agent.api,
      continue: async () => {
        throw new HubShareRequestError(0, 'network_error', 'The server did not answer.');
      }
    });
    model.pickAll('mine');
    expect(await model.finish()).toBe(false);
    expect(model.state.phase).toBe('picking');
    expect(model.state.problem).toMatch(/^The server did not answer\. .*try Finish again, or Cancel pull/);
    expect(model.state.files.every(file => file.pick === 'mine')).toBe(true);
  });

  it('cancels the pull with abort', async () => {
    const agent = fakeAgent(conflicts);
    const model = await loaded(agent.api);
    expect(await model.cancel()).toBe(true);
    expect(agent.calls).toEqual(['abort']);
    expect(model.state.phase).toBe('cancelled');
    model.pickAll('mine');
    expect(model.state.files.every(file => file.pick === null)).toBe(true);
  });

  it('says there is nothing to pick when the pull is no longer waiting', async () => {
    const agent = fakeAgent([]);
    agent.calls.push('continue');
    const model = await loaded(agent.api);
    expect(model.state.phase).toBe('no-pull');
  });

  it('previews both sides once, and a side deleted as missing', async () => {
    let reads = 0;
    const agent = fakeAgent(conflicts);
    const model = await loaded({
      ...agent.api,
      version: async (...args) => {
        reads++;
        return agent.api.version(...args);
      }
    });
    expect(await model.preview('gone.txt')).toEqual({ mine: { kind: 'text', text: 'mine of gone.txt\n' }, theirs: { kind: 'missing' } });
    await model.preview('gone.txt');
    expect(reads).toBe(2);
  });
});

describe('whileBusy', () => {
  it('reads again while the agent says the checkout is busy, and gives up on other errors or after ten tries', async () => {
    const pauses: number[] = [];
    const pause = async (ms: number) => void pauses.push(ms);
    let calls = 0;
    const busyTwice = () => (++calls <= 2 ? Promise.reject(new HubShareRequestError(409, 'checkout_busy', 'busy')) : Promise.resolve('parts'));
    await expect(whileBusy(busyTwice, pause)).resolves.toBe('parts');
    expect(pauses).toEqual([200, 200]);
    await expect(whileBusy(() => Promise.reject(new HubShareRequestError(404, 'no_such_file', 'gone')), pause)).rejects.toThrow('gone');
    pauses.length = 0;
    await expect(whileBusy(() => Promise.reject(new HubShareRequestError(409, 'checkout_busy', 'still busy')), pause)).rejects.toThrow('still busy');
    expect(pauses).toHaveLength(9);
  });
});
