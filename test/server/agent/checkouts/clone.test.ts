import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Checkouts } from '../../../../server/agent/checkouts/checkouts';
import { checkoutSource } from '../../../../server/agent/checkouts/layout';
import { type Listening, temporaryDirectory } from '../../http-harness';
import { startTestService, type TestService } from '../../service/service-harness';
import { hubshare, hubshareWithEnv, treeHash } from './checkout-harness';
import { writeTreeBomb } from '../../tree-bomb';
import { serveRepositories } from './internet-git';

let service: TestService;
let work: ReturnType<typeof temporaryDirectory>;
let internet: Listening;
let token: string;
let marker: string;
let outside: string;

/** git as the author of the "internet" repositories, with its own HOME. */
function authorGit(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: join(work.path, 'author-home'), GIT_CONFIG_NOSYSTEM: '1' }
  });
}

/** Creates `internet/<name>.git` from a working folder prepared by `build` (which may commit itself). */
function publishToInternet(name: string, build: (dir: string) => 'committed' | void): void {
  const dir = join(work.path, 'authoring', name);
  mkdirSync(dir, { recursive: true });
  authorGit(dir, 'init', '-q', '-b', 'main');
  if (build(dir) !== 'committed') {
    authorGit(dir, 'commit', '-q', '-m', `${name}`);
  }
  authorGit(join(work.path, 'internet'), 'clone', '-q', '--bare', dir, `${name}.git`);
}

beforeAll(async () => {
  service = await startTestService();
  work = temporaryDirectory('hubshare-clone-');
  process.env.HOME = join(work.path, 'home');
  mkdirSync(process.env.HOME);
  mkdirSync(join(work.path, 'author-home'));
  writeFileSync(join(work.path, 'author-home', '.gitconfig'), '[user]\n\tname = Author\n\temail = a@example.org\n');
  mkdirSync(join(work.path, 'internet'));
  marker = join(work.path, 'MARKER-code-ran');
  outside = join(work.path, 'outside');
  mkdirSync(outside);
  writeFileSync(join(outside, 'precious.txt'), 'do not touch\n');
  token = await service.userWithToken('alice');

  publishToInternet('tricky', dir => {
    writeFileSync(join(dir, 'README.md'), '# Tricky\n');
    writeFileSync(join(dir, '.gitmodules'), `[submodule "evil"]\n\tpath = evil\n\turl = file://${work.path}/internet/tricky.git\n\tupdate = !touch ${marker}\n`);
    writeFileSync(join(dir, '.gitattributes'), '* filter=evil\n*.md diff=evil\n');
    execFileSync('ln', ['-s', outside, join(dir, 'outside-link')]);
    authorGit(dir, 'add', '-A');
    const blob = authorGit(dir, 'hash-object', '-w', 'README.md').trim();
    const tree = authorGit(dir, 'write-tree').trim();
    const commit = authorGit(dir, 'commit-tree', tree, '-m', 'sub').trim();
    authorGit(dir, 'update-index', '--add', '--cacheinfo', `160000,${commit},evil`);
    expect(blob).toMatch(/^[0-9a-f]{40}$/);
  });

  publishToInternet('dotgit', dir => {
    writeFileSync(join(dir, 'ok.txt'), 'fine\n');
    authorGit(dir, 'add', '-A');
    // A tree holding sub/.git/hooks/post-checkout: git's own checks must refuse to write it.
    const hook = execFileSync('git', ['hash-object', '-w', '--stdin'], {
      cwd: dir,
      input: `#!/bin/sh\ntouch ${marker}\n`,
      encoding: 'utf8'
    }).trim();
    const mktree = (entries: string) => execFileSync('git', ['mktree'], { cwd: dir, input: entries, encoding: 'utf8' }).trim();
    const hooks = mktree(`100755 blob ${hook}\tpost-checkout\n`);
    const gitDir = mktree(`040000 tree ${hooks}\thooks\n`);
    const sub = mktree(`040000 tree ${gitDir}\t.git\n`);
    const okBlob = authorGit(dir, 'hash-object', '-w', 'ok.txt').trim();
    const root = mktree(`100644 blob ${okBlob}\tok.txt\n040000 tree ${sub}\tsub\n`);
    // git's own index refuses such a path, so the commit is made from the tree directly.
    authorGit(dir, 'update-ref', 'refs/heads/main', authorGit(dir, 'commit-tree', root, '-m', 'dotgit').trim());
    return 'committed';
  });

  internet = await serveRepositories(join(work.path, 'internet'));
});
afterAll(async () => {
  await internet.close();
  await service.close();
  work.remove();
});

const run = (cwd: string, ...argv: string[]) => hubshare(service, token, cwd, ...argv);
/** The same with plain http:// to loopback allowed (the "internet" here has no TLS). */
const runLoopback = (cwd: string, ...argv: string[]) => hubshareWithEnv({ HUBSHARE_ALLOW_HTTP_LOOPBACK: '1' }, service, token, cwd, ...argv);

describe('hubshare clone URL', () => {
  it('refuses every protocol but https (and http to loopback when allowed), running nothing', async () => {
    for (const url of [
      `file://${work.path}/internet/tricky.git`,
      'git://127.0.0.1/tricky.git',
      'ssh://git@127.0.0.1/tricky.git',
      'ext::sh -c touch% /tmp/pwned',
      `${internet.url}/tricky.git`,
      'http://example.org/tricky.git',
      'https://user:secret@example.org/x.git'
    ]) {
      const result = await hubshare(service, token, work.path, 'clone', url, join(work.path, 'refused'));
      expect(result.code, url).not.toBe(0);
      expect(existsSync(join(work.path, 'refused'))).toBe(false);
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('clones an untrusted repository without running anything or writing outside the folder', async () => {
    const before = treeHash(outside);
    const dest = join(work.path, 'tricky');
    const result = await runLoopback(work.path, 'clone', `${internet.url}/tricky.git`, dest);
    expect(result).toMatchObject({ code: 0 });
    expect(readFileSync(join(dest, 'README.md'), 'utf8')).toBe('# Tricky\n');
    expect(lstatSync(join(dest, 'outside-link')).isSymbolicLink()).toBe(true);
    expect(readdirSync(join(dest, 'evil'))).toEqual([]);
    expect(existsSync(marker)).toBe(false);
    expect(treeHash(outside)).toEqual(before);
    expect(readFileSync(join(dest, '.hubshare', 'config'), 'utf8')).not.toContain(token);
  });

  it('refuses a tree that would write a .git folder, leaving nothing behind', async () => {
    const dest = join(work.path, 'dotgit');
    const result = await runLoopback(work.path, 'clone', `${internet.url}/dotgit.git`, dest);
    expect(result.code).not.toBe(0);
    expect(result.err).toContain('Cloning');
    expect(existsSync(dest)).toBe(false);
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses a repository with a .hubshare folder of its own, which would replace HubShare\'s git config (core.fsmonitor runs code)', async () => {
    for (const name of ['.hubshare', '.HubShare']) {
      const repo = `own${name.toLowerCase() === name ? '' : '-upper'}-hubshare`;
      publishToInternet(repo, dir => {
        mkdirSync(join(dir, name));
        // A config that keeps the checkout working (so its next command reads it) and runs code.
        writeFileSync(join(dir, name, 'config'), `[core]\n\tfsmonitor = touch ${marker}\n[hubshare]\n\turl = ${internet.url}/${repo}.git\n`);
        writeFileSync(join(dir, 'README.md'), '# Innocent\n');
        authorGit(dir, 'add', '-A');
      });
      const dest = join(work.path, repo);
      const result = await runLoopback(work.path, 'clone', `${internet.url}/${repo}.git`, dest);
      if (result.code === 0) {
        await runLoopback(dest, 'status');
      }
      expect(existsSync(marker), name).toBe(false);
      expect(result.code, name).not.toBe(0);
      expect(result.err).toContain(`holds "${name}"`);
      expect(existsSync(dest)).toBe(false);
    }
  });

  it('refuses a later update that adds a .hubshare folder, keeping the folder as it was', async () => {
    publishToInternet('turns-bad', dir => {
      writeFileSync(join(dir, 'data.csv'), 'v1\n');
      authorGit(dir, 'add', '-A');
    });
    const dest = join(work.path, 'turns-bad');
    expect((await runLoopback(work.path, 'clone', `${internet.url}/turns-bad.git`, dest)).code).toBe(0);
    const config = readFileSync(join(dest, '.hubshare', 'config'), 'utf8');
    const authoring = join(work.path, 'authoring', 'turns-bad');
    mkdirSync(join(authoring, '.hubshare'));
    writeFileSync(join(authoring, '.hubshare', 'config'), `[core]\n\tfsmonitor = touch ${marker}\n[hubshare]\n\turl = ${internet.url}/turns-bad.git\n`);
    writeFileSync(join(authoring, 'data.csv'), 'v2\n');
    authorGit(authoring, 'add', '-A');
    authorGit(authoring, 'commit', '-qm', 'v2');
    authorGit(authoring, 'push', '-q', join(work.path, 'internet', 'turns-bad.git'), 'main');
    const pull = await runLoopback(dest, 'pull');
    await runLoopback(dest, 'status');
    expect(existsSync(marker)).toBe(false);
    expect(pull.code).not.toBe(0);
    expect(pull.err).toContain('".hubshare"');
    expect(readFileSync(join(dest, 'data.csv'), 'utf8')).toBe('v1\n');
    expect(readFileSync(join(dest, '.hubshare', 'config'), 'utf8')).toBe(config);
  });

  it('stops a clone that downloads more than the limit, leaving nothing behind', async () => {
    publishToInternet('huge', dir => {
      writeFileSync(join(dir, 'noise.bin'), randomBytes(4 * 1024 * 1024));
      authorGit(dir, 'add', '-A');
    });
    const checkouts = new Checkouts(
      { url: service.url, token, userName: 'alice' },
      { allowHttpLoopback: true, maxCloneBytes: 256 * 1024 }
    );
    const dest = join(work.path, 'huge');
    await expect(checkouts.clone(`${internet.url}/huge.git`, dest)).rejects.toMatchObject({ code: 'too_large' });
    expect(existsSync(dest)).toBe(false);
  });

  it('refuses a tree bomb (ten million files from eight objects) whose download is tiny, before writing any of it', async () => {
    publishToInternet('bomb', dir => {
      // Only the ref: checking the bomb out here would write its ten million files.
      authorGit(dir, 'update-ref', 'refs/heads/main', writeTreeBomb(dir, { env: { HOME: join(work.path, 'author-home'), GIT_CONFIG_NOSYSTEM: '1' } }));
      return 'committed';
    });
    const dest = join(work.path, 'bomb');
    const started = Date.now();
    const result = await runLoopback(work.path, 'clone', `${internet.url}/bomb.git`, dest);
    expect(result.code).toBe(5);
    expect(result.err).toContain('more than 200,000 files');
    expect(existsSync(dest)).toBe(false);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('refuses to check out a project holding more files than the limit, and a pull that would bring them keeps the checkout as it was', async () => {
    const checkouts = new Checkouts({ url: service.url, token, userName: 'alice' }, { treeLimits: { files: 5, bytes: 1024 * 1024 } });
    const project = join(work.path, 'many-files');
    mkdirSync(project);
    writeFileSync(join(project, 'one.txt'), '1\n');
    await checkouts.publish(project, { name: 'many-files' });
    const copy = join(work.path, 'many-files-copy');
    await checkouts.checkout('alice/many-files', copy);
    for (let index = 0; index < 10; index++) {
      writeFileSync(join(project, `file-${index}.txt`), `${index}\n`);
    }
    await new Checkouts({ url: service.url, token, userName: 'alice' }).push(project);
    const before = treeHash(copy, ['.hubshare']);
    await expect(checkouts.pull(copy)).rejects.toMatchObject({ code: 'too_large' });
    expect(treeHash(copy, ['.hubshare'])).toEqual(before);
    await expect(checkouts.checkout('alice/many-files', join(work.path, 'many-files-again'))).rejects.toMatchObject({ code: 'too_large' });
    expect(existsSync(join(work.path, 'many-files-again'))).toBe(false);
  });

  it('pulls later updates from the URL, and can be published as a project of one\'s own', async () => {
    publishToInternet('evolving', dir => {
      writeFileSync(join(dir, 'data.csv'), 'v1\n');
      authorGit(dir, 'add', '-A');
    });
    const dest = join(work.path, 'evolving');
    expect((await runLoopback(work.path, 'clone', `${internet.url}/evolving.git`, dest)).code).toBe(0);
    const authoring = join(work.path, 'authoring', 'evolving');
    writeFileSync(join(authoring, 'data.csv'), 'v2\n');
    authorGit(authoring, 'commit', '-qam', 'v2');
    authorGit(authoring, 'push', '-q', join(work.path, 'internet', 'evolving.git'), 'main');
    expect((await runLoopback(dest, 'pull')).code).toBe(0);
    expect(readFileSync(join(dest, 'data.csv'), 'utf8')).toBe('v2\n');
    expect((await runLoopback(dest, 'push')).err).toContain('publish it as a project of your own');
    // The Projects panel offers Publish (not Push or Share) on a clone: it reads this, without git.
    expect(checkoutSource(dest)).toBe('url');

    expect(await runLoopback(dest, 'publish', '--name', 'evolving-copy')).toMatchObject({ code: 0 });
    expect(checkoutSource(dest)).toBe('project');
    writeFileSync(join(dest, 'data.csv'), 'mine\n');
    expect((await run(dest, 'push')).code).toBe(0);
    const copy = join(work.path, 'evolving-copy');
    expect((await run(work.path, 'checkout', 'alice/evolving-copy', copy)).code).toBe(0);
    expect(readFileSync(join(copy, 'data.csv'), 'utf8')).toBe('mine\n');
    const log = execFileSync('git', ['--git-dir', join(copy, '.hubshare'), 'log', '--format=%s'], { encoding: 'utf8' });
    expect(log).toContain('v2');
  });
});
