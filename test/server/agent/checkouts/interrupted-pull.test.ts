// A pull killed after git's merge began and before the pull recorded its state (or finished)
// leaves git mid-merge: MERGE_HEAD set, the colliding files unmerged in the index (mine on disk:
// HubShare never lets git write conflict markers), and no record that a pull waits. Taken for the
// user's work, the next push or pull would commit that merge with mine for every collision: the
// other person's colliding edits dropped without anyone being asked. These leave a checkout
// exactly so (a real conflicted pull whose record is removed), as a kill -9 at that moment does.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aliceAndBob, grantAccess, treeHash } from './checkout-harness';

const { world, as } = aliceAndBob('hubshare-interrupted-');
let counter = 0;
const text = (line5: string) => `${Array.from({ length: 10 }, (_, index) => (index === 4 ? line5 : `line ${index + 1}`)).join('\n')}\n`;

/** Alice's checkout, killed inside a pull of bob's colliding change; and what she had before it. */
async function killedInsidePull(): Promise<{ mine: string; before: Record<string, string> }> {
  counter += 1;
  const name = `interrupted-${counter}`;
  const mine = join(world.work.path, `alice-${name}`);
  mkdirSync(mine);
  writeFileSync(join(mine, 'notes.txt'), text('line 5'));
  expect((await as('alice', mine, 'publish', '--name', name)).code).toBe(0);
  await grantAccess(world.service, world.tokens.alice, `alice/${name}`, 'bob', 'write');
  const theirs = join(world.work.path, `bob-${name}`);
  expect((await as('bob', world.work.path, 'checkout', `alice/${name}`, theirs)).code).toBe(0);
  writeFileSync(join(theirs, 'notes.txt'), text('bob was here'));
  expect((await as('bob', theirs, 'push')).code).toBe(0);
  writeFileSync(join(mine, 'notes.txt'), text('alice was here'));
  writeFileSync(join(mine, 'draft.md'), 'my draft\n');
  const before = treeHash(mine, ['.hubshare']);
  expect((await as('alice', mine, 'pull')).code).toBe(1);
  // The kill: the pull's record never written, git mid-merge.
  rmSync(join(mine, '.hubshare', 'hubshare-pull.json'));
  expect(git(mine, 'ls-files', '-u')).toContain('notes.txt');
  return { mine, before };
}

const git = (dir: string, ...args: string[]) => execFileSync('git', ['--git-dir', join(dir, '.hubshare'), '--work-tree', dir, ...args], { cwd: dir, encoding: 'utf8' }).trim();

describe('a pull killed in the middle of its merge', () => {
  it('is undone by the next pull, which asks about the collision again instead of keeping mine unasked', async () => {
    const { mine, before } = await killedInsidePull();
    const again = await as('alice', mine, 'pull');
    expect(again.code, again.out + again.err).toBe(1);
    expect(again.out + again.err).toContain('notes.txt');
    // Nothing concluded the merge: HEAD is still her own snapshot.
    expect(git(mine, 'rev-list', '--parents', '-1', 'HEAD').split(' ')).toHaveLength(2);
    expect(readFileSync(join(mine, 'notes.txt'), 'utf8')).toBe(text('alice was here'));
    // Cancelling now gives back exactly what she had before the first pull.
    expect((await as('alice', mine, 'abort')).code).toBe(0);
    expect(treeHash(mine, ['.hubshare'])).toEqual(before);
  });

  it('is undone by the next status read (the panel\'s), which then says there is something to pull instead of showing picks no pull waits for', async () => {
    const { mine, before } = await killedInsidePull();
    const status = await as('alice', mine, 'status');
    expect(status.code).toBe(0);
    expect(status.out).not.toMatch(/conflict|pick/i);
    expect(status.out).toMatch(/pull/i);
    expect(treeHash(mine, ['.hubshare'])).toEqual(before);
    expect(git(mine, 'ls-files', '-u')).toBe('');
  });

  it('is undone by the next push, which does not push over the other person\'s colliding edit', async () => {
    const { mine, before } = await killedInsidePull();
    const push = await as('alice', mine, 'push');
    expect(push.code).not.toBe(0);
    expect(push.err).toMatch(/pull/i);
    expect(treeHash(mine, ['.hubshare'])).toEqual(before);
    // The project still has bob's line.
    const theirs = join(world.work.path, `check-${counter}`);
    expect((await as('bob', world.work.path, 'checkout', `alice/interrupted-${counter}`, theirs)).code).toBe(0);
    expect(readFileSync(join(theirs, 'notes.txt'), 'utf8')).toBe(text('bob was here'));
  });
});
