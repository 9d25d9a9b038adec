import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../../http-harness';
import { repositoryOf, startTestService, type TestService } from '../../service/service-harness';
import { expectNotebooksValid, grantAccess, hubshare, notebook, treeHash } from './checkout-harness';

let service: TestService;
let work: ReturnType<typeof temporaryDirectory>;
const tokens: Record<string, string> = {};
let counter = 0;

beforeAll(async () => {
  service = await startTestService();
  work = temporaryDirectory('hubshare-checkouts-');
  // git (through the agent) runs with this HOME: the token must never appear in it.
  process.env.HOME = join(work.path, 'home');
  mkdirSync(process.env.HOME);
  tokens.alice = await service.userWithToken('alice');
  tokens.bob = await service.userWithToken('bob');
});
afterAll(async () => {
  await service.close();
  work.remove();
});

const as = (user: string, cwd: string, ...argv: string[]) => hubshare(service, tokens[user], cwd, ...argv);

/** A fresh project published by alice (notebook, CSV, text, binary), checked out by bob with write access. */
async function sharedProject(): Promise<{ name: string; mine: string; theirs: string }> {
  counter += 1;
  const name = `study-${counter}`;
  const mine = join(work.path, `alice-${name}`);
  mkdirSync(mine);
  writeFileSync(join(mine, 'analysis.ipynb'), notebook('x = 1'));
  writeFileSync(join(mine, 'data.csv'), 'a,b\n1,2\n');
  writeFileSync(join(mine, 'notes.txt'), 'first\n');
  writeFileSync(join(mine, 'script.py'), 'print("first")\n');
  writeFileSync(join(mine, 'plot.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]));
  expect(await as('alice', mine, 'publish', '--name', name)).toMatchObject({ code: 0, out: `Published alice/${name}.` });
  await grantAccess(service, tokens.alice, `alice/${name}`, 'bob', 'write');
  const theirs = join(work.path, `bob-${name}`);
  expect((await as('bob', work.path, 'checkout', `alice/${name}`, theirs)).code).toBe(0);
  return { name, mine, theirs };
}

describe('two users through the hubshare CLI', () => {
  it('publish → share → checkout → edit → push → pull', async () => {
    const { mine, theirs } = await sharedProject();
    expect(readFileSync(join(theirs, 'data.csv'), 'utf8')).toBe('a,b\n1,2\n');
    expect((await as('bob', theirs, 'status')).out).toContain('Up to date.');

    writeFileSync(join(theirs, 'data.csv'), 'a,b\n1,2\n3,4\n');
    expect((await as('bob', theirs, 'status')).out).toMatch(/You have changes to push\.\n {2}data\.csv/);
    expect(await as('bob', theirs, 'push', '-m', 'more rows')).toMatchObject({ code: 0, out: 'Pushed.' });
    expect((await as('alice', mine, 'status')).out).toContain('Updates are available (1): pull.');
    expect(await as('alice', mine, 'pull')).toMatchObject({ code: 0, out: 'Pulled the latest changes.' });
    expect(readFileSync(join(mine, 'data.csv'), 'utf8')).toBe('a,b\n1,2\n3,4\n');
    expect((await as('alice', mine, 'push')).out).toBe('Nothing to push.');
  });

  it('never checks out a push that holds a top-level .hubshare (it would replace the checkout\'s own git config, and run its commands)', async () => {
    const { name, theirs } = await sharedProject();
    const marker = join(work.path, `MARKER-${name}`);
    // Such a tree in the project's repository: the service refuses it on push today (see
    // git-http.test.ts), so it is written straight into the repository, its hook off — as data
    // from before that check, or restored from a backup, would be.
    const plain = join(work.path, `plain-${name}`);
    // Not execFileSync: the service answers from this very process.
    const git = (...args: string[]) =>
      promisify(execFile)('git', ['-c', `http.extraHeader=Authorization: token ${tokens.alice}`, '-c', 'user.name=alice', '-c', 'user.email=a@example.org', ...args], {
        cwd: work.path,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' }
      });
    await git('clone', '-q', `${service.url}/git/alice/${name}.git`, plain);
    const repository = await repositoryOf(service, name);
    mkdirSync(join(plain, '.hubshare'));
    writeFileSync(join(plain, '.hubshare', 'config'), `[core]\n\tfsmonitor = touch ${marker}\n[hubshare]\n\tproject = alice/${name}\n`);
    writeFileSync(join(plain, 'notes.txt'), 'changed\n');
    await git('-C', plain, 'add', '-A');
    await git('-C', plain, 'commit', '-qm', 'a folder named like HubShare\'s own');
    await git('-C', plain, 'push', '-q', '--receive-pack=git -c core.hooksPath=/dev/null receive-pack', repository, 'HEAD:main');

    const before = treeHash(theirs, ['.hubshare']);
    const config = readFileSync(join(theirs, '.hubshare', 'config'), 'utf8');
    const pull = await as('bob', theirs, 'pull');
    expect(pull.code).not.toBe(0);
    expect(pull.err).toContain(`alice/${name} holds ".hubshare"`);
    expect((await as('bob', theirs, 'status')).err).toContain('".hubshare"');
    expect(treeHash(theirs, ['.hubshare'])).toEqual(before);
    expect(readFileSync(join(theirs, '.hubshare', 'config'), 'utf8')).toBe(config);
    const fresh = join(work.path, `bob-fresh-${name}`);
    expect((await as('bob', work.path, 'checkout', `alice/${name}`, fresh)).code).not.toBe(0);
    expect(existsSync(fresh)).toBe(false);
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses a push when someone pushed first, and changes nothing', async () => {
    const { mine, theirs } = await sharedProject();
    writeFileSync(join(theirs, 'notes.txt'), 'bob\n');
    expect((await as('bob', theirs, 'push')).code).toBe(0);
    writeFileSync(join(mine, 'notes.txt'), 'alice\n');
    const before = treeHash(mine, ['.hubshare']);
    const headBefore = readFileSync(join(mine, '.hubshare', 'refs', 'heads', 'main'), 'utf8');
    const refused = await as('alice', mine, 'push');
    expect(refused).toMatchObject({ code: 5, err: 'hubshare: Someone pushed first: pull, then push.' });
    expect(treeHash(mine, ['.hubshare'])).toEqual(before);
    expect(readFileSync(join(mine, '.hubshare', 'refs', 'heads', 'main'), 'utf8')).toBe(headBefore);
    expect((await as('alice', mine, 'status')).out).toContain('You and others both changed it');
  });

  it('lists the projects one can read and the checkouts under the current folder', async () => {
    const { name } = await sharedProject();
    const listing = await as('bob', work.path, 'list');
    expect(listing.out).toContain(`alice/${name}\twrite\tprivate`);
    expect(listing.out).toContain(`  bob-${name}`);
  });

  // Found by the fuzzed agent API: the project was created on the service, then git init failed
  // inside a file, the cleanup threw on it, and the project stayed behind (500).
  it('refuses to publish a file instead of a folder, and leaves no project on the service', async () => {
    const file = join(work.path, 'a-file.txt');
    writeFileSync(file, 'just a file\n');
    const refused = await as('alice', work.path, 'publish', 'a-file.txt', '--name', 'from-a-file');
    expect(refused).toMatchObject({ code: 5, err: `hubshare: ${file} is a file, not a folder: publish the folder that holds it.` });
    expect(readFileSync(file, 'utf8')).toBe('just a file\n');
    expect((await service.data.db.selectFrom('projects').select('id').where('name', '=', 'from-a-file').execute()).length).toBe(0);
  });

  it('refuses to check out into a file, in words, and leaves the file as it was', async () => {
    const { name } = await sharedProject();
    const file = join(work.path, `in-the-way-${name}.txt`);
    writeFileSync(file, 'in the way\n');
    const refused = await as('bob', work.path, 'checkout', `alice/${name}`, file);
    expect(refused).toMatchObject({ code: 5, err: `hubshare: ${file} is a file; check out into a new or empty folder.` });
    expect(readFileSync(file, 'utf8')).toBe('in the way\n');
  });

  it('checks out a project with no history yet, and pushes its first commit', async () => {
    const created = await fetch(`${service.url}/api/v1/projects`, {
      method: 'POST',
      headers: { Authorization: `token ${tokens.alice}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'blank', visibility: 'hub' })
    });
    expect(created.status).toBe(201);
    const first = join(work.path, 'blank-alice');
    expect((await as('alice', work.path, 'checkout', 'alice/blank', first)).code).toBe(0);
    expect((await as('alice', first, 'status')).out).toContain('Up to date.');
    expect((await as('alice', first, 'pull')).out).toBe('Already up to date.');
    writeFileSync(join(first, 'start.md'), '# Start\n');
    expect((await as('alice', first, 'status')).out).toContain('You have changes to push.');
    expect(await as('alice', first, 'push')).toMatchObject({ code: 0, out: 'Pushed.' });
    const second = join(work.path, 'blank-bob');
    expect((await as('bob', work.path, 'checkout', 'alice/blank', second)).code).toBe(0);
    expect(readFileSync(join(second, 'start.md'), 'utf8')).toBe('# Start\n');
  });

  it('answers with the documented exit codes', async () => {
    expect((await as('alice', work.path, 'checkout', 'alice/does-not-exist')).code).toBe(4);
    expect((await as('alice', work.path, 'frobnicate')).code).toBe(2);
    expect((await hubshare(service, 'hs_wrong', work.path, 'list')).code).toBe(3);
    expect((await as('alice', work.path, 'status')).code).toBe(4);
  });
});

describe('conflicts: pick mine or theirs per file', () => {
  async function conflicted() {
    const project = await sharedProject();
    const { mine, theirs } = project;
    // Theirs (bob) pushes first.
    writeFileSync(join(theirs, 'analysis.ipynb'), notebook('x = "bob"'));
    writeFileSync(join(theirs, 'notes.txt'), 'bob\n');
    writeFileSync(join(theirs, 'script.py'), 'print("bob")\n');
    writeFileSync(join(theirs, 'plot.png'), Buffer.from([1, 1, 1]));
    rmSync(join(theirs, 'data.csv'));
    writeFileSync(join(theirs, 'new.md'), '# bob\n');
    expect((await as('bob', theirs, 'push')).code).toBe(0);
    // Mine (alice) changed the same files.
    writeFileSync(join(mine, 'analysis.ipynb'), notebook('x = "alice"'));
    rmSync(join(mine, 'notes.txt'));
    writeFileSync(join(mine, 'script.py'), 'print("alice")\n');
    writeFileSync(join(mine, 'plot.png'), Buffer.from([2, 2, 2]));
    writeFileSync(join(mine, 'data.csv'), 'a,b\nalice\n');
    writeFileSync(join(mine, 'new.md'), '# alice\n');
    writeFileSync(join(mine, 'untracked-draft.txt'), 'draft\n');
    return project;
  }

  it('lists every conflicted file with its kind, keeping every notebook valid on disk', async () => {
    const { mine } = await conflicted();
    const pull = await as('alice', mine, 'pull');
    expect(pull.code).toBe(1);
    expect(pull.err).toContain('analysis.ipynb  (changed here and there)');
    expect(pull.err).toContain('data.csv  (changed here, deleted there)');
    expect(pull.err).toContain('new.md  (added here and there)');
    expect(pull.err).toContain('notes.txt  (deleted here, changed there)');
    expect(pull.err).toContain('plot.png  (changed here and there)');
    expect(pull.err).toContain('script.py  (changed here and there)');
    expect(readFileSync(join(mine, 'script.py'), 'utf8')).toBe('print("alice")\n');
    expectNotebooksValid(mine);
    expect(readFileSync(join(mine, 'analysis.ipynb'), 'utf8')).toBe(notebook('x = "alice"'));
    expect((await as('alice', mine, 'push')).code).toBe(5);
    expect((await as('alice', mine, 'continue')).err).toContain('Pick mine or theirs first');
  });

  it('applies mixed picks, then continue completes the merge and push works', async () => {
    const { mine, theirs } = await conflicted();
    expect((await as('alice', mine, 'pull')).code).toBe(1);
    expect((await as('alice', mine, 'resolve', 'analysis.ipynb', '--theirs')).code).toBe(1);
    expectNotebooksValid(mine);
    expect((await as('alice', mine, 'resolve', 'data.csv', 'plot.png', '--mine')).code).toBe(1);
    expect((await as('alice', mine, 'resolve', 'notes.txt', '--theirs')).code).toBe(1);
    expect((await as('alice', mine, 'resolve', 'new.md', '--mine')).code).toBe(1);
    expect(await as('alice', mine, 'resolve', 'script.py', '--theirs')).toMatchObject({ code: 0, out: 'Every file is picked: run hubshare continue.' });
    expect((await as('alice', mine, 'continue')).code).toBe(0);
    expect(readFileSync(join(mine, 'analysis.ipynb'), 'utf8')).toBe(notebook('x = "bob"'));
    expect(readFileSync(join(mine, 'data.csv'), 'utf8')).toBe('a,b\nalice\n');
    expect([...readFileSync(join(mine, 'plot.png'))]).toEqual([2, 2, 2]);
    expect(readFileSync(join(mine, 'notes.txt'), 'utf8')).toBe('bob\n');
    expect(readFileSync(join(mine, 'new.md'), 'utf8')).toBe('# alice\n');
    expect(readFileSync(join(mine, 'script.py'), 'utf8')).toBe('print("bob")\n');
    expect(readFileSync(join(mine, 'untracked-draft.txt'), 'utf8')).toBe('draft\n');
    expect((await as('alice', mine, 'push')).code).toBe(0);
    expect((await as('bob', theirs, 'pull')).code).toBe(0);
    expect(treeHash(theirs, ['.hubshare'])).toEqual(treeHash(mine, ['.hubshare']));
  });

  it.each(['mine', 'theirs'] as const)('resolves all as %s', async side => {
    const { mine, theirs } = await conflicted();
    const theirsFiles = treeHash(theirs, ['.hubshare']);
    const mineFiles = treeHash(mine, ['.hubshare']);
    expect((await as('alice', mine, 'pull')).code).toBe(1);
    expect((await as('alice', mine, 'resolve', '--all', `--${side}`)).code).toBe(0);
    expect((await as('alice', mine, 'continue')).code).toBe(0);
    expectNotebooksValid(mine);
    const { 'untracked-draft.txt': draft, ...mineTracked } = mineFiles;
    expect(draft).toBeDefined();
    expect(treeHash(mine, ['.hubshare', 'untracked-draft.txt'])).toEqual(side === 'mine' ? mineTracked : theirsFiles);
  });

  it('abort puts back every byte the user had before the pull', async () => {
    const { mine } = await conflicted();
    const before = treeHash(mine, ['.hubshare']);
    expect((await as('alice', mine, 'pull')).code).toBe(1);
    await as('alice', mine, 'resolve', 'analysis.ipynb', '--theirs');
    expect((await as('alice', mine, 'abort')).code).toBe(0);
    expect(treeHash(mine, ['.hubshare'])).toEqual(before);
    expect((await as('alice', mine, 'status')).out).toContain('You and others both changed it');
  });
});

describe('folders the user manages with git themselves', () => {
  const userGit = (cwd: string, ...args: string[]) =>
    execFileSync('git', args, { cwd, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' }, encoding: 'utf8' });

  beforeEach(() => {
    writeFileSync(join(process.env.HOME ?? '', '.gitconfig'), '[user]\n\tname = Owner\n\temail = owner@example.org\n');
  });

  it('never reads, writes or tracks the user\'s .git, at the top or in a sub-folder', async () => {
    counter += 1;
    const name = `own-git-${counter}`;
    const dir = join(work.path, name);
    mkdirSync(join(dir, 'vendored'), { recursive: true });
    userGit(dir, 'init', '-q', '-b', 'main');
    writeFileSync(join(dir, 'model.py'), 'print(1)\n');
    userGit(dir, 'add', 'model.py');
    userGit(dir, 'commit', '-qm', 'mine');
    writeFileSync(join(dir, 'model.py'), 'print(2)\n');
    userGit(dir, 'stash', '-q');
    writeFileSync(join(dir, 'scratch.txt'), 'untracked\n');
    userGit(join(dir, 'vendored'), 'init', '-q');
    writeFileSync(join(dir, 'vendored', 'lib.py'), 'x = 1\n');

    const gitBefore = treeHash(join(dir, '.git'));
    const vendoredBefore = treeHash(join(dir, 'vendored'));
    const statusBefore = userGit(dir, 'status', '--porcelain', '--ignored');

    expect((await as('alice', dir, 'publish')).code).toBe(0);
    writeFileSync(join(dir, 'scratch.txt'), 'changed\n');
    expect((await as('alice', dir, 'push')).code).toBe(0);
    expect((await as('alice', dir, 'pull')).code).toBe(0);

    expect(treeHash(join(dir, '.git'))).toEqual(gitBefore);
    expect(treeHash(join(dir, 'vendored'))).toEqual(vendoredBefore);
    // The user's git sees HubShare's folder only as ignored (its own .gitignore), never as untracked.
    expect(userGit(dir, 'status', '--porcelain', '--ignored')).toBe(`${statusBefore}!! .hubshare/\n`);

    const copy = join(work.path, `${name}-copy`);
    expect((await as('bob', work.path, 'checkout', `alice/${name}`, copy)).code).toBe(4);
    await grantAccess(service, tokens.alice, `alice/${name}`, 'bob', 'write');
    expect((await as('bob', work.path, 'checkout', `alice/${name}`, copy)).code).toBe(0);
    expect(existsSync(join(copy, 'model.py'))).toBe(true);
    expect(existsSync(join(copy, 'scratch.txt'))).toBe(true);
    expect(existsSync(join(copy, '.git'))).toBe(false);
    expect(existsSync(join(copy, 'vendored'))).toBe(false);

    // A conflict and its abort leave the user's git just as alone.
    writeFileSync(join(copy, 'scratch.txt'), 'bob\n');
    expect((await as('bob', copy, 'push')).code).toBe(0);
    writeFileSync(join(dir, 'scratch.txt'), 'alice again\n');
    const statusNow = userGit(dir, 'status', '--porcelain', '--ignored');
    expect((await as('alice', dir, 'pull')).code).toBe(1);
    expect(treeHash(join(dir, '.git'))).toEqual(gitBefore);
    expect(userGit(dir, 'status', '--porcelain', '--ignored')).toBe(statusNow);
    expect((await as('alice', dir, 'abort')).code).toBe(0);
    expect(treeHash(join(dir, '.git'))).toEqual(gitBefore);
    expect(treeHash(join(dir, 'vendored'))).toEqual(vendoredBefore);
    expect(userGit(dir, 'status', '--porcelain', '--ignored')).toBe(statusNow);
    expect(readFileSync(join(dir, 'scratch.txt'), 'utf8')).toBe('alice again\n');
  });
});

describe('an update never writes into a folder the user manages with git', () => {
  const userGit = (cwd: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=Bob', '-c', 'user.email=bob@example.org', ...args], {
      cwd,
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' },
      encoding: 'utf8'
    });

  /** Bob's own repository at `path` inside his checkout: one commit, and an edit not committed yet. */
  function bobsOwnRepository(theirs: string, path: string): Record<string, string> {
    const dir = join(theirs, path);
    mkdirSync(dir, { recursive: true });
    userGit(dir, 'init', '-q', '-b', 'main');
    writeFileSync(join(dir, 'notes.txt'), 'my notes\n');
    userGit(dir, 'add', 'notes.txt');
    userGit(dir, 'commit', '-qm', 'my own history');
    writeFileSync(join(dir, 'notes.txt'), 'my notes, edited and not committed\n');
    return treeHash(dir);
  }

  /** Alice pushes `files` (and removes `remove`) in her checkout. */
  async function alicePushes(mine: string, files: Record<string, string>, remove: string[] = []): Promise<void> {
    for (const path of remove) {
      rmSync(join(mine, path), { recursive: true, force: true });
    }
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(join(mine, path, '..'), { recursive: true });
      writeFileSync(join(mine, path), content);
    }
    expect((await as('alice', mine, 'push')).code).toBe(0);
  }

  it('an incoming file named like the user\'s repository folder does not replace it (its history stays)', async () => {
    const { mine, theirs } = await sharedProject();
    const before = bobsOwnRepository(theirs, 'experiments');
    await alicePushes(mine, { experiments: 'a file, where bob keeps a repository\n' });
    const pulled = await as('bob', theirs, 'pull');
    expect(pulled.code).toBe(5);
    expect(pulled.err).toContain('experiments/');
    expect(pulled.err).toContain('which you manage with git yourself');
    expect(treeHash(join(theirs, 'experiments'))).toEqual(before);
    expect(userGit(join(theirs, 'experiments'), 'log', '--format=%s')).toBe('my own history\n');
  });

  it('an incoming file inside the user\'s repository does not overwrite their uncommitted edit', async () => {
    const { mine, theirs } = await sharedProject();
    const before = bobsOwnRepository(theirs, 'experiments');
    writeFileSync(join(theirs, 'notes.txt'), 'bob was here\n');
    await alicePushes(mine, { 'experiments/notes.txt': 'alice\'s notes\n', 'script.py': 'print("second")\n' });
    const pulled = await as('bob', theirs, 'pull');
    expect(pulled.code).toBe(5);
    expect(pulled.err).toContain('experiments/notes.txt');
    expect(treeHash(join(theirs, 'experiments'))).toEqual(before);
    // Nothing else was pulled either, and bob's own change to a shared file is still only his.
    expect(readFileSync(join(theirs, 'script.py'), 'utf8')).toBe('print("first")\n');
    expect(readFileSync(join(theirs, 'notes.txt'), 'utf8')).toBe('bob was here\n');
    const status = await as('bob', theirs, 'status');
    expect(status.out).toContain('notes.txt');
  });

  it('an incoming file where a parent folder of the user\'s repository is does not delete it', async () => {
    const { mine, theirs } = await sharedProject();
    await alicePushes(mine, { 'lib/shared.py': 'x = 1\n' });
    expect((await as('bob', theirs, 'pull')).code).toBe(0);
    const before = bobsOwnRepository(theirs, 'lib/mine');
    await alicePushes(mine, { lib: 'lib is a file now\n' }, ['lib']);
    const pulled = await as('bob', theirs, 'pull');
    expect(pulled.code).toBe(5);
    expect(pulled.err).toContain('lib/mine/');
    expect(treeHash(join(theirs, 'lib', 'mine'))).toEqual(before);
    expect(readFileSync(join(theirs, 'lib', 'shared.py'), 'utf8')).toBe('x = 1\n');
  });

  it('updates beside the user\'s repository still merge, and leave it alone', async () => {
    const { mine, theirs } = await sharedProject();
    const before = bobsOwnRepository(theirs, 'experiments');
    await alicePushes(mine, { 'experiments-notes.txt': 'beside, not inside\n', 'data.csv': 'a,b\n1,3\n' });
    expect((await as('bob', theirs, 'pull')).code).toBe(0);
    expect(readFileSync(join(theirs, 'experiments-notes.txt'), 'utf8')).toBe('beside, not inside\n');
    expect(treeHash(join(theirs, 'experiments'))).toEqual(before);
  });
});

describe('checkouts keep working and keep secrets', () => {
  it('still pulls and pushes after the folder is renamed', async () => {
    const { mine, theirs } = await sharedProject();
    const moved = `${mine}-moved`;
    renameSync(mine, moved);
    writeFileSync(join(theirs, 'notes.txt'), 'from bob\n');
    expect((await as('bob', theirs, 'push')).code).toBe(0);
    expect((await as('alice', moved, 'pull')).code).toBe(0);
    expect(readFileSync(join(moved, 'notes.txt'), 'utf8')).toBe('from bob\n');
    writeFileSync(join(moved, 'notes.txt'), 'from alice\n');
    expect((await as('alice', moved, 'push')).code).toBe(0);
  });

  it('runs one operation at a time per checkout; the other is refused clearly and nothing breaks', async () => {
    const { mine } = await sharedProject();
    writeFileSync(join(mine, 'notes.txt'), 'concurrent\n');
    const results = await Promise.all([as('alice', mine, 'push'), as('alice', mine, 'push'), as('alice', mine, 'status')]);
    for (const result of results.filter(r => r.code !== 0)) {
      expect(result.err).toContain('Another HubShare operation');
    }
    expect(results.some(r => r.code === 0)).toBe(true);
    expect((await as('alice', mine, 'push')).code).toBe(0);
    expect((await as('alice', mine, 'status')).out).toContain('Up to date.');
  });

  it('recovers a lock left by a process that was killed', async () => {
    const { mine } = await sharedProject();
    writeFileSync(join(mine, '.hubshare', 'hubshare.lock'), '999999');
    expect((await as('alice', mine, 'status')).code).toBe(0);
  });

  it('recovers the index and ref locks a git process left when it was killed, so the checkout is not wedged', async () => {
    const { mine, theirs } = await sharedProject();
    const gitDir = join(mine, '.hubshare');
    const stale = ['index.lock', 'HEAD.lock', join('refs', 'heads', 'main.lock'), join('refs', 'remotes', 'hubshare', 'main.lock')];
    const plant = (): void => {
      for (const lock of stale) {
        mkdirSync(join(gitDir, lock, '..'), { recursive: true });
        writeFileSync(join(gitDir, lock), '');
      }
    };
    plant();
    writeFileSync(join(mine, 'notes.txt'), 'after the crash\n');
    const push = await as('alice', mine, 'push');
    expect(push.err).not.toContain('index.lock');
    expect(push.code).toBe(0);
    expect((await as('bob', theirs, 'pull')).code).toBe(0);
    writeFileSync(join(theirs, 'notes.txt'), 'from bob\n');
    expect((await as('bob', theirs, 'push')).code).toBe(0);
    plant();
    expect((await as('alice', mine, 'pull')).code).toBe(0);
    expect(readFileSync(join(mine, 'notes.txt'), 'utf8')).toBe('from bob\n');
    plant();
    expect((await as('alice', mine, 'status')).out).toContain('Up to date.');
    for (const lock of stale) {
      expect(existsSync(join(gitDir, lock)), lock).toBe(false);
    }
  });

  it('never writes a token into a checkout or HOME', async () => {
    const { mine, theirs } = await sharedProject();
    writeFileSync(join(mine, 'notes.txt'), 'x\n');
    await as('alice', mine, 'push');
    await as('bob', theirs, 'pull');
    for (const root of [work.path, process.env.HOME ?? '']) {
      const files = Object.keys(treeHash(root));
      for (const file of files) {
        const text = readFileSync(join(root, file)).toString('latin1');
        for (const token of Object.values(tokens)) {
          expect(text.includes(token), `${file} holds a token`).toBe(false);
        }
      }
    }
  });
});
