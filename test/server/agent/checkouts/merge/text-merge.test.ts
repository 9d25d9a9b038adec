import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { conflictingHunks, isText, mergeText, mergeTextWithPicks } from '../../../../../server/agent/checkouts/merge/text-merge';
import { CheckoutGit } from '../../../../../server/agent/git/git-runner';
import { temporaryDirectory } from '../../../http-harness';

const work = temporaryDirectory('hubshare-text-merge-');
const scratch = join(work.path, '.hubshare');
mkdirSync(scratch);
execFileSync('git', ['init', '-q', '--bare', scratch]);
const git = new CheckoutGit(scratch, work.path, { userName: 'alice', allowProtocols: ['https'] });
afterAll(() => work.remove());

const lines = (edits: Record<number, string> = {}, eol = '\n') => Array.from({ length: 12 }, (_, index) => edits[index] ?? `line ${index}`).join(eol) + eol;
const merge = (base: string | Buffer, mine: string | Buffer, theirs: string | Buffer) => mergeText(git, scratch, Buffer.from(base), Buffer.from(mine), Buffer.from(theirs));

describe('merging text by line (git merge-file)', () => {
  it('merges changes to different lines and gives the same change made on both sides once', async () => {
    expect((await merge(lines(), lines({ 1: 'mine' }), lines({ 10: 'theirs' })))?.toString()).toBe(lines({ 1: 'mine', 10: 'theirs' }));
    expect((await merge(lines(), lines({ 4: 'same' }), lines({ 4: 'same' })))?.toString()).toBe(lines({ 4: 'same' }));
  });

  it('answers null for changes to the same line, and leaves no scratch file behind', async () => {
    expect(await merge(lines(), lines({ 4: 'mine' }), lines({ 4: 'theirs' }))).toBeNull();
    expect(readdirSync(scratch).filter(name => name.startsWith('merge-'))).toEqual([]);
  });

  it('keeps the bytes it does not merge: CRLF line endings, no final newline, non-ASCII text', async () => {
    expect((await merge(lines({}, '\r\n'), lines({ 1: 'mine' }, '\r\n'), lines({ 10: 'theirs' }, '\r\n')))?.toString()).toBe(lines({ 1: 'mine', 10: 'theirs' }, '\r\n'));
    const noFinal = (edits: Record<number, string>) => lines(edits).slice(0, -1);
    expect((await merge(noFinal({}), noFinal({ 1: 'é' }), noFinal({ 11: 'ü' })))?.toString()).toBe(noFinal({ 1: 'é', 11: 'ü' }));
  });

  it('refuses what is not text: a NUL byte, or bytes that are not UTF-8', async () => {
    const binary = Buffer.concat([Buffer.from(lines()), Buffer.from([0])]);
    expect(isText(binary)).toBe(false);
    expect(isText(Buffer.from([0x66, 0xff, 0x0a]))).toBe(false);
    expect(isText(Buffer.from(lines({ 3: 'naïve' })))).toBe(true);
    expect(await merge(binary, Buffer.concat([Buffer.from(lines({ 1: 'm' })), Buffer.from([0])]), binary)).toBeNull();
    expect(await merge(lines(), Buffer.from([0x66, 0xff, 0x0a]), lines({ 10: 'theirs' }))).toBeNull();
  });

  it('splits a collision into numbered hunks, and merges with a side picked for each', async () => {
    const versions = { base: Buffer.from(lines()), mine: Buffer.from(lines({ 2: 'mine', 6: 'mine', 9: 'mine' })), theirs: Buffer.from(lines({ 2: 'theirs', 9: 'theirs', 11: 'theirs' })) };
    const hunks = await conflictingHunks(git, scratch, versions.base, versions.mine, versions.theirs);
    expect(hunks).toEqual([
      { key: '1', base: 'line 2\n', mine: 'mine\n', theirs: 'theirs\n' },
      { key: '2', base: 'line 9\n', mine: 'mine\n', theirs: 'theirs\n' }
    ]);
    expect(await mergeTextWithPicks(git, scratch, versions, new Map([['1', 'theirs']]))).toBeNull();
    const picked = await mergeTextWithPicks(git, scratch, versions, new Map([['1', 'theirs'], ['2', 'mine']]));
    expect(picked?.toString()).toBe(lines({ 2: 'theirs', 6: 'mine', 9: 'mine', 11: 'theirs' }));
  });

  it('tells its markers from content that looks like them, and keeps a last line without a newline', async () => {
    const tricky = (edits: Record<number, string>) => lines({ 0: '<<<<<<< not a marker', 5: '=======', ...edits }).slice(0, -1);
    const versions = { base: Buffer.from(tricky({})), mine: Buffer.from(tricky({ 11: 'mine' })), theirs: Buffer.from(tricky({ 3: 'theirs', 11: 'theirs' })) };
    expect(await conflictingHunks(git, scratch, versions.base, versions.mine, versions.theirs)).toHaveLength(1);
    expect((await mergeTextWithPicks(git, scratch, versions, new Map([['1', 'mine']])))?.toString()).toBe(tricky({ 3: 'theirs', 11: 'mine' }));
    expect((await mergeTextWithPicks(git, scratch, versions, new Map([['1', 'theirs']])))?.toString()).toBe(tricky({ 3: 'theirs', 11: 'theirs' }));
  });
});
