import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawGet, temporaryDirectory } from '../http-harness';
import { cloneUrl, GitClient } from './git-client';
import { startTestService, type TestService } from './service-harness';
import { testEngines } from './test-databases';

interface Entry {
  name: string;
  path: string;
  type: string;
  mode: string;
  id: string;
  size?: number;
}

/** Files of the generated repository: nested folders, binary, unicode and odd names, a big file. */
function writeFixture(dir: string) {
  const files: Record<string, Buffer | string> = {
    'README.md': '# Data\n\nSome words.\n',
    'a/b/c/deep.txt': 'deep down\n',
    'a/b/sibling.csv': 'x,y\n1,2\n',
    'données/résumé ü.txt': 'accents and a space\n',
    '日本語/ノート.md': '# ノート\n',
    'with space/and #hash%.txt': 'odd characters\n',
    'binary.bin': Buffer.concat([Buffer.from([0, 1, 2, 0, 255]), randomBytes(64 * 1024)]),
    'big/large.dat': randomBytes(3 * 1024 * 1024 + 17),
    'empty.txt': '',
    'analysis.ipynb': JSON.stringify({ cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 })
  };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  writeFileSync(join(dir, 'run.sh'), '#!/bin/sh\necho hi\n');
  chmodSync(join(dir, 'run.sh'), 0o755);
  symlinkSync('README.md', join(dir, 'link-to-readme'));
}

describe.each(testEngines())('browsing pushed content without a work tree, on %s', engine => {
  let service: TestService;
  let work: ReturnType<typeof temporaryDirectory>;
  let git: GitClient;
  let clone: string;
  const tokens: Record<string, string> = {};

  const get = (user: string, path: string, headers: Record<string, string> = {}) =>
    fetch(`${service.url}/api/v1/projects/alice/data${path}`, { headers: { Authorization: `token ${tokens[user]}`, ...headers } });
  const json = async <T>(user: string, path: string): Promise<T> => {
    const response = await get(user, path);
    expect(response.status, `${path}: ${await response.clone().text()}`).toBe(200);
    return (await response.json()) as T;
  };
  const gitOut = async (...args: string[]) => (await git.run(args, clone)).stdout;
  const rawGetAs = (user: string, path: string) => rawGet(service.url, `/api/v1/projects/alice/data${path}`, { Authorization: `token ${tokens[user]}` });
  const encodePath = (path: string) => path.split('/').map(encodeURIComponent).join('/');

  beforeAll(async () => {
    service = await startTestService(engine);
    work = temporaryDirectory('hubshare-browse-');
    git = new GitClient(join(work.path, 'home'));
    for (const user of ['alice', 'bob']) {
      tokens[user] = await service.userWithToken(user);
    }
    const created = await fetch(`${service.url}/api/v1/projects`, {
      method: 'POST',
      headers: { Authorization: `token ${tokens.alice}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'data' })
    });
    expect(created.status).toBe(201);
    clone = join(work.path, 'alice');
    await git.run(['clone', '-q', cloneUrl(service.url, 'alice', tokens.alice, 'alice/data'), clone]);
    writeFixture(clone);
    await git.run(['add', '-A'], clone);
    await git.run(['commit', '-q', '-m', 'First version\n\nWith a body.'], clone);
    await git.run(['tag', '-a', 'v1', '-m', 'release one'], clone);
    writeFileSync(join(clone, 'README.md'), '# Data\n\nSome words, changed.\n');
    writeFileSync(join(clone, 'a/b/c/deep.txt'), 'deeper down\n');
    writeFileSync(join(clone, 'new.txt'), 'new file\n');
    await git.run(['rm', '-q', 'empty.txt'], clone);
    await git.run(['add', '-A'], clone);
    await git.run(['commit', '-q', '-m', 'Second version'], clone);
    await git.run(['checkout', '-q', '-b', 'feature/x'], clone);
    writeFileSync(join(clone, 'feature.txt'), 'on a branch\n');
    await git.run(['add', '-A'], clone);
    await git.run(['commit', '-q', '-m', 'A feature'], clone);
    await git.run(['checkout', '-q', 'main'], clone);
    for (let index = 0; index < 5; index++) {
      writeFileSync(join(clone, 'a/b/sibling.csv'), `x,y\n${index},2\n`);
      await git.run(['commit', '-q', '-am', `Edit ${index}`], clone);
    }
    await git.run(['push', '-q', '--follow-tags', 'origin', 'main', 'feature/x'], clone);
  }, 120_000);
  afterAll(async () => {
    await service.close();
    work.remove();
  });

  it('lists branches and tags as git for-each-ref does', async () => {
    const refs = await json<{ defaultBranch: string; head: string; branches: { name: string; commit: string }[]; tags: { name: string; commit: string }[] }>(
      'alice',
      '/refs'
    );
    expect(refs.defaultBranch).toBe('main');
    expect(refs.head).toBe((await gitOut('rev-parse', 'main')).trim());
    expect(refs.branches).toEqual([
      { name: 'feature/x', commit: (await gitOut('rev-parse', 'feature/x')).trim() },
      { name: 'main', commit: refs.head }
    ]);
    expect(refs.tags).toEqual([{ name: 'v1', commit: (await gitOut('rev-parse', 'v1^{commit}')).trim() }]);
  });

  it('answers every folder of every ref exactly as git ls-tree -l', async () => {
    for (const ref of ['main', 'v1', 'feature%2Fx']) {
      const gitRef = decodeURIComponent(ref);
      const folders = ['', ...(await gitOut('ls-tree', '-r', '-d', '--name-only', '-z', gitRef)).split('\0').filter(Boolean)];
      expect(folders.length).toBeGreaterThan(6);
      for (const folder of folders) {
        const answer = await json<{ entry: Entry; entries: Entry[] }>('alice', `/tree/${ref}${folder ? `/${encodePath(folder)}` : ''}`);
        const expected = (await gitOut('ls-tree', '-l', '-z', gitRef, folder ? `${folder}/` : '.'))
          .split('\0')
          .filter(Boolean)
          .map(line => {
            const [meta, path] = line.split('\t');
            const [mode, type, id, size] = meta.split(/ +/);
            return { mode, type, id, size: size === '-' ? undefined : Number(size), path };
          });
        expect(
          answer.entries.map(entry => ({ mode: entry.mode, type: entry.type === 'tree' ? 'tree' : 'blob', id: entry.id, size: entry.size, path: entry.path }))
        ).toEqual(expected);
        expect(answer.entry.type).toBe('tree');
      }
    }
  });

  it('serves every file byte for byte as git cat-file, with its content type and an ETag', async () => {
    const files = (await gitOut('ls-tree', '-r', '-z', 'main')).split('\0').filter(Boolean);
    for (const line of files) {
      const [meta, path] = line.split('\t');
      const id = meta.split(' ')[2];
      const response = await get('alice', `/blob/main/${encodePath(path)}`);
      expect(response.status, path).toBe(200);
      const bytes = Buffer.from(await response.arrayBuffer());
      const expected = (await git.run(['cat-file', 'blob', id], clone)).stdout;
      expect(bytes.equals(Buffer.from(expected, 'latin1')) || bytes.toString('utf8') === expected, path).toBe(true);
      expect(response.headers.get('etag')).toBe(`"${id}"`);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('content-security-policy')).toMatch(/^sandbox/);
    }
    expect((await get('alice', '/blob/main/README.md')).headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect((await get('alice', '/blob/main/a/b/sibling.csv')).headers.get('content-type')).toBe('text/csv; charset=utf-8');
  });

  it('serves a large binary file exactly (compared as bytes)', async () => {
    const id = (await gitOut('rev-parse', 'main:big/large.dat')).trim();
    const response = await get('alice', '/blob/main/big/large.dat');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.length).toBe(3 * 1024 * 1024 + 17);
    const { execFileSync } = await import('node:child_process');
    const expected = execFileSync('git', ['cat-file', 'blob', id], { cwd: clone, maxBuffer: 16 * 1024 * 1024 });
    expect(bytes.equals(expected)).toBe(true);
    const binary = Buffer.from(await (await get('alice', '/blob/v1/binary.bin')).arrayBuffer());
    expect(binary.equals(execFileSync('git', ['cat-file', 'blob', 'v1:binary.bin'], { cwd: clone }))).toBe(true);
  });

  it('answers 304 to a matching If-None-Match, and the file again once it changed', async () => {
    const first = await get('alice', '/blob/main/README.md');
    const etag = first.headers.get('etag') ?? '';
    expect((await get('alice', '/blob/main/README.md', { 'If-None-Match': etag })).status).toBe(304);
    expect((await get('alice', '/blob/v1/README.md', { 'If-None-Match': etag })).status).toBe(200);
  });

  it('tells a file from a folder: tree on a file gives its entry, blob on a folder is a 404', async () => {
    const file = await json<{ entry: Entry; entries: null }>('alice', '/tree/main/run.sh');
    expect(file.entries).toBeNull();
    expect(file.entry).toMatchObject({ name: 'run.sh', type: 'blob', mode: '100755' });
    const link = await json<{ entry: Entry }>('alice', '/tree/main/link-to-readme');
    expect(link.entry).toMatchObject({ type: 'symlink', mode: '120000', size: 'README.md'.length });
    const folder = await get('alice', '/blob/main/a/b');
    expect(folder.status).toBe(404);
    expect(((await folder.json()) as { error: { code: string } }).error.code).toBe('not_a_file');
  });

  it('pages through the history exactly as git log, also for one path', async () => {
    for (const [query, args] of [
      ['', ['log', '--format=%H', 'main']],
      ['&path=a/b/sibling.csv', ['log', '--format=%H', 'main', '--', 'a/b/sibling.csv']],
      ['&path=a', ['log', '--format=%H', 'main', '--', 'a']],
      ['&ref=feature%2Fx', ['log', '--format=%H', 'feature/x']]
    ] as const) {
      const expected = (await gitOut(...args)).trim().split('\n');
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { commits: { id: string }[]; next: string | null } = await json('alice', `/log?limit=2${query}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.commits.length).toBeLessThanOrEqual(2);
        seen.push(...page.commits.map(commit => commit.id));
        cursor = page.next;
      } while (cursor);
      expect(seen, query).toEqual(expected);
    }
    const [first] = (await json<{ commits: { subject: string; message: string; author: { name: string } }[] }>('alice', '/log?ref=v1')).commits;
    expect(first).toMatchObject({ subject: 'First version', author: { name: 'Test User' } });
    expect(first.message).toContain('With a body.');
  });

  it('shows what changed like git diff, with a text patch and binary files marked', async () => {
    const diff = await json<{ files: { path: string; status: string; patch?: string; patchOmitted?: string }[] }>('alice', '/diff?from=v1&to=main');
    const expected = (await gitOut('diff', '--name-status', '--no-renames', 'v1', 'main'))
      .trim()
      .split('\n')
      .map(line => line.split('\t'))
      .map(([status, path]) => ({ path, status: { A: 'added', D: 'deleted', M: 'modified' }[status] }));
    expect(diff.files.map(file => ({ path: file.path, status: file.status })).sort((a, b) => a.path.localeCompare(b.path))).toEqual(
      expected.sort((a, b) => a.path.localeCompare(b.path))
    );
    const readme = diff.files.find(file => file.path === 'README.md');
    expect(readme?.patch).toContain('-Some words.');
    expect(readme?.patch).toContain('+Some words, changed.');

    const last = await json<{ files: { path: string }[] }>('alice', '/diff');
    expect(last.files.map(file => file.path)).toEqual(['a/b/sibling.csv']);
    const onlyA = await json<{ files: { path: string }[] }>('alice', '/diff?from=v1&to=main&path=a');
    expect(onlyA.files.map(file => file.path).sort()).toEqual(['a/b/c/deep.txt', 'a/b/sibling.csv']);
  });

  it('refuses bad refs, paths, cursors and limits with a 400 and a reason', async () => {
    for (const [path, code] of [
      ['/tree/%2E%2E', 'invalid_ref'],
      ['/tree/-x', 'invalid_ref'],
      ['/tree/main%3Aa', 'invalid_ref'],
      ['/tree/main%40%7B0%7D', 'invalid_ref'],
      ['/tree/main/a/%2E%2E/%2E%2E', 'invalid_path'],
      ['/blob/main/a/%2E/b', 'invalid_path'],
      ['/blob/main/a%0Ab', 'invalid_path'],
      ['/log?cursor=zzz', 'invalid_cursor'],
      ['/log?cursor=0000000000000000000000000000000000000000', 'invalid_cursor'],
      ['/log?limit=0', 'invalid_limit'],
      ['/log?limit=1&limit=2', 'invalid_limit'],
      ['/diff?from=--output=x', 'invalid_ref']
    ] as const) {
      const response = await rawGetAs('alice', path);
      expect(response.status, path).toBe(400);
      expect(JSON.parse(response.body).error.code, path).toBe(code);
    }
    const missing = await get('alice', '/tree/nope');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('no_such_ref');
    expect((await get('alice', '/tree/main/not/there')).status).toBe(404);
  });

  it('hides everything from someone who cannot read the project (404, not 403)', async () => {
    for (const path of ['/refs', '/tree/main', '/blob/main/README.md', '/log', '/diff']) {
      expect((await get('bob', path)).status, path).toBe(404);
    }
  });

  it('answers many reads at once from a bounded number of git processes', async () => {
    const paths = ['README.md', 'a/b/sibling.csv', 'run.sh', 'new.txt', 'big/large.dat'];
    const answers = await Promise.all(Array.from({ length: 40 }, (_, index) => get('alice', `/blob/main/${paths[index % paths.length]}`)));
    expect(answers.every(answer => answer.status === 200)).toBe(true);
    await Promise.all(answers.map(answer => answer.arrayBuffer()));
  });
});

describe('browsing a project nothing was pushed to yet', () => {
  let service: TestService;
  let token: string;
  beforeAll(async () => {
    service = await startTestService('sqlite');
    token = await service.userWithToken('alice');
    await fetch(`${service.url}/api/v1/projects`, {
      method: 'POST',
      headers: { Authorization: `token ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'empty' })
    });
  });
  afterAll(() => service.close());

  it('lists no refs and says there is no content yet', async () => {
    const get = (path: string) => fetch(`${service.url}/api/v1/projects/alice/empty${path}`, { headers: { Authorization: `token ${token}` } });
    expect(await (await get('/refs')).json()).toEqual({ defaultBranch: 'main', head: null, branches: [], tags: [] });
    const tree = await get('/tree/HEAD');
    expect(tree.status).toBe(404);
    expect(((await tree.json()) as { error: { message: string } }).error.message).toMatch(/no pushed content yet/);
    expect((await get('/log')).status).toBe(404);
  });
});
