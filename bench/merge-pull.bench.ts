// A pull where both sides changed the same 200 text files at different lines: HubShare's pull
// (the agent's engine, as the panel calls it: no node start-up) merges them by line, against the
// baseline of plain `git pull` of the same change, on the same machine in the same run. Each
// iteration first puts the checkout back to its state before the pull (one `git reset`, in both).
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { Checkouts } from '../server/agent/checkouts/checkouts';
import { sized } from './bench-scale';
import { temporaryDirectory } from '../test/server/http-harness';
import { cloneUrl, GitClient } from '../test/server/service/git-client';
import { startTestService, type TestService } from '../test/server/service/service-harness';

const run = promisify(execFile);
const FILES = sized(200, 20);
const LINES = 30;
let service: TestService;
let work: ReturnType<typeof temporaryDirectory>;
let checkouts: Checkouts;
const checkout = { dir: '', before: '' };
const plain = { dir: '', before: '' };

const text = (edits: Record<number, string>) => `${Array.from({ length: LINES }, (_, line) => edits[line] ?? `line ${line}`).join('\n')}\n`;
const writeAll = (dir: string, edits: Record<number, string>) => {
  for (let index = 0; index < FILES; index++) {
    writeFileSync(join(dir, 'src', `module-${index}.py`), text(edits));
  }
};
const git = async (args: string[], cwd: string) => (await run('git', ['-c', 'user.name=Bob', '-c', 'user.email=bob@example.org', ...args], { cwd, maxBuffer: 1 << 26 })).stdout.trim();

beforeAll(async () => {
  service = await startTestService('sqlite');
  work = temporaryDirectory('hubshare-bench-merge-');
  process.env.HOME = join(work.path, 'home');
  mkdirSync(process.env.HOME);
  const token = await service.userWithToken('alice');
  checkouts = new Checkouts({ url: service.url, token, userName: 'alice' });
  const published = join(work.path, 'published');
  mkdirSync(join(published, 'src'), { recursive: true });
  writeAll(published, {});
  await checkouts.publish(published, { name: 'merge-bench' });

  checkout.dir = join(work.path, 'checkout');
  await checkouts.checkout('alice/merge-bench', checkout.dir);
  const client = new GitClient(join(work.path, 'git-home'));
  plain.dir = join(work.path, 'plain');
  await client.run(['clone', '-q', cloneUrl(service.url, 'alice', token, 'alice/merge-bench'), plain.dir]);

  // The other side: line 3 of every file, pushed.
  writeAll(published, { 3: 'changed over there' });
  await checkouts.push(published);
  // This side: line 27 of every file, committed (as a pull's snapshot would be).
  writeAll(checkout.dir, { 27: 'changed here' });
  const gitDir = join(checkout.dir, '.hubshare');
  await git(['--git-dir', gitDir, '--work-tree', checkout.dir, 'commit', '-q', '-am', 'mine'], checkout.dir);
  checkout.before = await git(['--git-dir', gitDir, 'rev-parse', 'HEAD'], checkout.dir);
  writeAll(plain.dir, { 27: 'changed here' });
  await git(['commit', '-q', '-am', 'mine'], plain.dir);
  plain.before = await git(['rev-parse', 'HEAD'], plain.dir);
}, 120_000);

afterAll(async () => {
  await service.close();
  work.remove();
});

describe(`pull: ${FILES} files changed on both sides at different lines`, () => {
  bench('hubshare pull (merges by line)', async () => {
    await git(['--git-dir', join(checkout.dir, '.hubshare'), '--work-tree', checkout.dir, 'reset', '-q', '--hard', checkout.before], checkout.dir);
    const result = await checkouts.pull(checkout.dir);
    if (result.state !== 'updated' || result.merged.length !== FILES) {
      throw new Error(`expected ${FILES} files merged, got ${JSON.stringify(result).slice(0, 200)}`);
    }
  }, { iterations: sized(5, 2), time: 0 });
  bench('baseline: plain git pull of the same change', async () => {
    await git(['reset', '-q', '--hard', plain.before], plain.dir);
    await git(['pull', '-q', '--no-rebase', '--no-edit', 'origin', 'main'], plain.dir);
  }, { iterations: sized(5, 2), time: 0 });
});
