// A `hubshare checkout` killed halfway (the terminal closed, the server restarted) leaves a folder
// holding only `.hubshare/`: a git directory with the project's settings and part of its
// objects, no commit of its own. Checking out again into that folder must simply work — it was
// refused as "already has files in it" until the user found and removed the hidden folder.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aliceAndBob, grantAccess, treeHash } from './checkout-harness';

const { world, as } = aliceAndBob('hubshare-interrupted-checkout-');
const cli = join(__dirname, '..', '..', '..', '..', 'bin', 'hubshare.cjs');
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
let published: { project: string; tree: Record<string, string> } | undefined;

/** Alice's project of 20 MB (random, so git cannot shrink it) and a few files, shared with bob. */
async function project(): Promise<{ project: string; tree: Record<string, string> }> {
  if (!published) {
    const mine = join(world.work.path, 'alice-big');
    mkdirSync(join(mine, 'data'), { recursive: true });
    writeFileSync(join(mine, 'data', 'big.bin'), randomBytes(20 * 1024 * 1024));
    writeFileSync(join(mine, 'notes.md'), '# notes\n');
    expect((await as('alice', mine, 'publish', '--name', 'big')).code).toBe(0);
    await grantAccess(world.service, world.tokens.alice, 'alice/big', 'bob', 'read');
    published = { project: 'alice/big', tree: treeHash(mine, ['.hubshare']) };
  }
  return published;
}

describe('a checkout killed halfway', () => {
  it.each([0, 150, 400])('is finished by checking out again into the same folder (SIGKILL %i ms after it began writing)', async delay => {
    const { project: name, tree } = await project();
    const folder = join(world.work.path, `bob-killed-${delay}`);
    const child = spawn(process.execPath, [cli, 'checkout', name, folder], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, HUBSHARE_URL: world.service.url, HUBSHARE_TOKEN: world.tokens.bob },
      stdio: 'ignore'
    });
    const exited = new Promise(resolve => child.once('exit', resolve));
    for (let waited = 0; !existsSync(join(folder, '.hubshare', 'config')) && child.exitCode === null && waited < 20_000; waited += 5) {
      await sleep(5);
    }
    await sleep(delay);
    child.kill('SIGKILL');
    await exited;
    const again = await as('bob', world.work.path, 'checkout', name, folder);
    expect(again.code, again.err).toBe(0);
    expect(treeHash(folder, ['.hubshare'])).toEqual(tree);
    expect((await as('bob', folder, 'status')).out).toContain('Up to date.');
  }, 60_000);

  it.each([
    ['just initialized, nothing fetched', (folder: string) => rmSync(join(folder, '.hubshare', 'objects', 'pack'), { recursive: true, force: true })],
    ['fetched, the files not yet written', () => undefined]
  ])('is finished by checking out again when it was killed %s', async (_state, damage) => {
    const { project: name, tree } = await project();
    const folder = join(world.work.path, `bob-${randomBytes(3).toString('hex')}`);
    expect((await as('bob', world.work.path, 'checkout', name, folder)).code).toBe(0);
    // Back to where the kill came: no commit of its own, no files; the fetch done or not.
    for (const entry of readdirSync(folder).filter(entry => entry !== '.hubshare')) {
      rmSync(join(folder, entry), { recursive: true, force: true });
    }
    rmSync(join(folder, '.hubshare', 'refs', 'heads', 'main'));
    rmSync(join(folder, '.hubshare', 'index'));
    damage(folder);
    const again = await as('bob', world.work.path, 'checkout', name, folder);
    expect(again.code, again.err).toBe(0);
    expect(treeHash(folder, ['.hubshare'])).toEqual(tree);
  });

  it('is finished by a pull in it, too (the panel lists it as a checkout)', async () => {
    const { project: name, tree } = await project();
    const folder = join(world.work.path, 'bob-pulled');
    expect((await as('bob', world.work.path, 'checkout', name, folder)).code).toBe(0);
    for (const entry of readdirSync(folder).filter(entry => entry !== '.hubshare')) {
      rmSync(join(folder, entry), { recursive: true, force: true });
    }
    rmSync(join(folder, '.hubshare', 'refs', 'heads', 'main'));
    rmSync(join(folder, '.hubshare', 'index'));
    rmSync(join(folder, '.hubshare', 'objects', 'pack'), { recursive: true, force: true });
    expect((await as('bob', folder, 'pull')).code).toBe(0);
    expect(treeHash(folder, ['.hubshare'])).toEqual(tree);
  });

  it('leaves alone a checkout still under way in another process, and a .hubshare that is not a git directory', async () => {
    const { project: name } = await project();
    const underWay = join(world.work.path, 'bob-under-way');
    mkdirSync(join(underWay, '.hubshare', 'refs', 'heads'), { recursive: true });
    writeFileSync(join(underWay, '.hubshare', 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(join(underWay, '.hubshare', 'config'), '[hubshare]\n\tproject = alice/big\n');
    const other = spawn('sleep', ['30']);
    try {
      writeFileSync(join(underWay, '.hubshare', 'hubshare.lock'), String(other.pid));
      const refused = await as('bob', world.work.path, 'checkout', name, underWay);
      expect(refused.err).toContain('already has files in it');
      expect(readdirSync(join(underWay, '.hubshare')).sort()).toEqual(['HEAD', 'config', 'hubshare.lock', 'refs']);
    } finally {
      other.kill('SIGKILL');
    }
    for (const shape of ['file', 'folder'] as const) {
      const folder = join(world.work.path, `bob-own-${shape}`);
      mkdirSync(folder);
      if (shape === 'file') {
        writeFileSync(join(folder, '.hubshare'), 'my notes, named oddly\n');
      } else {
        mkdirSync(join(folder, '.hubshare'));
        writeFileSync(join(folder, '.hubshare', 'notes.txt'), 'mine\n');
      }
      expect((await as('bob', world.work.path, 'checkout', name, folder)).err).toContain('already has files in it');
      expect(treeHash(folder)).not.toEqual({});
      expect(existsSync(join(folder, '.hubshare'))).toBe(true);
    }
  });

  it('still refuses a folder holding anything of the user\'s, and a checkout that has commits', async () => {
    const { project: name } = await project();
    const folder = join(world.work.path, 'bob-with-a-file');
    mkdirSync(join(folder, '.hubshare'), { recursive: true });
    writeFileSync(join(folder, 'mine.txt'), 'mine\n');
    const refused = await as('bob', world.work.path, 'checkout', name, folder);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain('already has files in it');
    expect(readdirSync(folder).sort()).toEqual(['.hubshare', 'mine.txt']);

    const done = join(world.work.path, 'bob-done');
    expect((await as('bob', world.work.path, 'checkout', name, done)).code).toBe(0);
    for (const entry of readdirSync(done).filter(entry => entry !== '.hubshare')) {
      rmSync(join(done, entry), { recursive: true, force: true });
    }
    // Every file deleted, but its commit is there: that is a checkout with changes, not a leftover.
    expect((await as('bob', world.work.path, 'checkout', name, done)).err).toContain('already has files in it');
    expect(existsSync(join(done, '.hubshare', 'refs', 'heads', 'main'))).toBe(true);
  });
});
