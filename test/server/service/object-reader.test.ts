import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GitRunner } from '../../../server/service/git/git-runner';
import { ObjectReader } from '../../../server/service/git/object-reader';
import { temporaryDirectory } from '../http-harness';

/** A bare repository holding one commit with `files`; returns its path and the blobs' ids. */
function bareRepository(root: string, name: string, files: Record<string, Buffer>): { gitDir: string; ids: Record<string, string> } {
  const work = join(root, `${name}-work`);
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: root, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' };
  execFileSync('git', ['init', '-q', work], { env });
  for (const [file, content] of Object.entries(files)) {
    writeFileSync(join(work, file), content);
  }
  execFileSync('git', ['add', '-A'], { cwd: work, env });
  execFileSync('git', ['commit', '-q', '-m', 'c'], { cwd: work, env });
  const gitDir = join(root, `${name}.git`);
  execFileSync('git', ['clone', '-q', '--bare', work, gitDir], { env });
  const ids = Object.fromEntries(Object.keys(files).map(file => [file, execFileSync('git', ['rev-parse', `HEAD:${file}`], { cwd: work, env }).toString().trim()]));
  return { gitDir, ids };
}

/** A destination that accepts a few bytes at a time, so the reader must wait for 'drain'. */
class SlowSink extends Writable {
  readonly chunks: Buffer[] = [];
  constructor() {
    super({ highWaterMark: 1024 });
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void) {
    this.chunks.push(chunk);
    setTimeout(done, 1);
  }
}

describe('the pooled git cat-file reader', () => {
  const dir = temporaryDirectory('hubshare-objects-');
  const git = new GitRunner(join(dir.path, 'state'));
  const big = randomBytes(2 * 1024 * 1024);
  let one: ReturnType<typeof bareRepository>;
  let two: ReturnType<typeof bareRepository>;
  let reader: ObjectReader;

  beforeAll(() => {
    one = bareRepository(dir.path, 'one', { 'a.txt': Buffer.from('alpha\n'), 'big.bin': big, 'nl.txt': Buffer.from('\n\n') });
    two = bareRepository(dir.path, 'two', { 'b.txt': Buffer.from('beta\n') });
  });
  afterEach(() => reader?.close());
  afterAll(() => dir.remove());

  it('pipelines requests on one process and answers each in order, missing objects as null', async () => {
    reader = new ObjectReader(git, { perRepository: 1, total: 4, idleMs: 60_000 });
    const answers = await reader.with(one.gitDir, source =>
      Promise.all([source.read(one.ids['a.txt']), source.info(one.ids['big.bin']), source.read('0'.repeat(40)), source.read(one.ids['nl.txt'])])
    );
    expect(answers[0]?.data.toString()).toBe('alpha\n');
    expect(answers[1]).toEqual({ id: one.ids['big.bin'], type: 'blob', size: big.length });
    expect(answers[2]).toBeNull();
    expect(answers[3]?.data.toString()).toBe('\n\n');
    expect(reader.size).toBe(1);
  });

  it('never runs more processes than its limits, and makes the others wait their turn', async () => {
    reader = new ObjectReader(git, { perRepository: 2, total: 3, idleMs: 60_000 });
    let peak = 0;
    const reads = Array.from({ length: 12 }, (_, index) => {
      const repository = index % 2 === 0 ? one : two;
      const id = index % 2 === 0 ? one.ids['a.txt'] : two.ids['b.txt'];
      return reader.with(repository.gitDir, async source => {
        peak = Math.max(peak, reader.size);
        await new Promise(resolve => setTimeout(resolve, 5));
        return (await source.read(id))?.data.toString();
      });
    });
    expect(await Promise.all(reads)).toEqual(Array.from({ length: 12 }, (_, index) => (index % 2 === 0 ? 'alpha\n' : 'beta\n')));
    expect(peak).toBeLessThanOrEqual(3);
    expect(reader.size).toBeLessThanOrEqual(3);
  });

  it('streams a large object with back-pressure, byte for byte', async () => {
    reader = new ObjectReader(git, { perRepository: 1, total: 1, idleMs: 60_000 });
    const sink = new SlowSink();
    await reader.with(one.gitDir, source => source.stream(one.ids['big.bin'], sink, () => {}));
    expect(Buffer.concat(sink.chunks).equals(big)).toBe(true);
  });

  it('stays usable when a destination goes away half-way through', async () => {
    reader = new ObjectReader(git, { perRepository: 1, total: 1, idleMs: 60_000 });
    const sink = new SlowSink();
    sink.once('pipe', () => {});
    setTimeout(() => sink.destroy(), 5);
    await reader.with(one.gitDir, source => source.stream(one.ids['big.bin'], sink, () => {}));
    const again = await reader.with(one.gitDir, source => source.read(one.ids['a.txt']));
    expect(again?.data.toString()).toBe('alpha\n');
  });

  it('answers the next request after a destination that was gone before the bytes came', async () => {
    reader = new ObjectReader(git, { perRepository: 1, total: 1, idleMs: 60_000 });
    const gone = new SlowSink();
    gone.destroy();
    await reader.with(one.gitDir, source => source.stream(one.ids['big.bin'], gone, () => {}));
    const again = await reader.with(one.gitDir, source => source.read(one.ids['a.txt']));
    expect(again?.data.toString()).toBe('alpha\n');
  });

  it('rejects (and keeps serving) when the caller refuses the object it is about to stream', async () => {
    reader = new ObjectReader(git, { perRepository: 1, total: 1, idleMs: 60_000 });
    const refuse = () => {
      throw new Error('not this one');
    };
    await expect(reader.with(one.gitDir, source => source.stream('0'.repeat(40), new SlowSink(), refuse))).rejects.toThrow('not this one');
    await expect(reader.with(one.gitDir, source => source.stream(one.ids['big.bin'], new SlowSink(), refuse))).rejects.toThrow('not this one');
    expect((await reader.with(one.gitDir, source => source.read(one.ids['a.txt'])))?.data.toString()).toBe('alpha\n');
  });

  it('wakes a waiter when a process it waited for is stopped', async () => {
    reader = new ObjectReader(git, { perRepository: 1, total: 1, idleMs: 60_000 });
    let release: () => void = () => {};
    const held = reader.with(one.gitDir, () => new Promise<void>(done => (release = done)));
    const waiting = reader.with(two.gitDir, source => source.read(two.ids['b.txt']));
    await new Promise(resolve => setTimeout(resolve, 20));
    release();
    await held;
    expect((await waiting)?.data.toString()).toBe('beta\n');
  });

  it('replaces a process that died, and refuses object names that span lines', async () => {
    reader = new ObjectReader(git, { perRepository: 1, total: 1, idleMs: 60_000 });
    await expect(reader.with(one.gitDir, source => source.read(`${one.ids['a.txt']}\ninfo HEAD`))).rejects.toThrow(/single lines/);
    await expect(reader.with(join(dir.path, 'nowhere.git'), source => source.read(one.ids['a.txt']))).rejects.toThrow(/cat-file exited/);
    expect((await reader.with(one.gitDir, source => source.read(one.ids['a.txt'])))?.data.toString()).toBe('alpha\n');
  });

  it('stops idle processes after the idle time', async () => {
    reader = new ObjectReader(git, { perRepository: 1, total: 1, idleMs: 20 });
    await reader.with(one.gitDir, source => source.info(one.ids['a.txt']));
    expect(reader.size).toBe(1);
    await new Promise(resolve => setTimeout(resolve, 80));
    expect(reader.size).toBe(0);
  });
});
