// Reading pushed files through the browse API (a pool of long-lived cat-file processes) against
// the baseline of starting `git cat-file` for each file, on the same machine in the same run.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { temporaryDirectory } from '../test/server/http-harness';
import { cloneUrl, GitClient } from '../test/server/service/git-client';
import { startTestService, type TestService } from '../test/server/service/service-harness';

const run = promisify(execFile);
const FILES = 40;
let service: TestService;
let work: ReturnType<typeof temporaryDirectory>;
let clone = '';
let token = '';

beforeAll(async () => {
  service = await startTestService('sqlite');
  work = temporaryDirectory('hubshare-bench-');
  token = await service.userWithToken('alice');
  await fetch(`${service.url}/api/v1/projects`, {
    method: 'POST',
    headers: { Authorization: `token ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'bench' })
  });
  const git = new GitClient(join(work.path, 'home'));
  clone = join(work.path, 'bench');
  await git.run(['clone', '-q', cloneUrl(service.url, 'alice', token, 'alice/bench'), clone]);
  mkdirSync(join(clone, 'data'));
  for (let index = 0; index < FILES; index++) {
    writeFileSync(join(clone, 'data', `file-${index}.csv`), `a,b\n${index},${'x'.repeat(2000)}\n`);
  }
  await git.run(['add', '-A'], clone);
  await git.run(['commit', '-q', '-m', 'data'], clone);
  await git.run(['push', '-q', 'origin', 'main'], clone);
}, 60_000);

afterAll(async () => {
  await service.close();
  work.remove();
});

describe(`read ${FILES} files of a pushed project`, () => {
  bench('browse API (HTTP + pooled cat-file)', async () => {
    for (let index = 0; index < FILES; index++) {
      const response = await fetch(`${service.url}/api/v1/projects/alice/bench/blob/main/data/file-${index}.csv`, {
        headers: { Authorization: `token ${token}` }
      });
      await response.arrayBuffer();
    }
  });
  bench('baseline: one `git cat-file` process per file', async () => {
    for (let index = 0; index < FILES; index++) {
      await run('git', ['cat-file', 'blob', `main:data/file-${index}.csv`], { cwd: clone });
    }
  });
});

describe('list a folder of a pushed project', () => {
  bench('browse API tree (HTTP + pooled cat-file)', async () => {
    await (await fetch(`${service.url}/api/v1/projects/alice/bench/tree/main/data`, { headers: { Authorization: `token ${token}` } })).json();
  });
  bench('baseline: `git ls-tree -l`', async () => {
    await run('git', ['ls-tree', '-l', 'main', 'data/'], { cwd: clone });
  });
});
