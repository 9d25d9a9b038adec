import { execFile, execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type Listening, temporaryDirectory } from '../../http-harness';
import { repositoryOf, startTestService, type TestService } from '../../service/service-harness';
import { grantAccess, hubshare, hubshareWithEnv, treeHash } from './checkout-harness';

let service: TestService;
let work: ReturnType<typeof temporaryDirectory>;
/** A loopback listener standing for "another host": it records every Authorization header it gets. */
let elsewhere: Listening;
const authorizationsElsewhere: string[] = [];
const tokens: Record<string, string> = {};
let counter = 0;

beforeAll(async () => {
  service = await startTestService();
  work = temporaryDirectory('hubshare-hostile-');
  process.env.HOME = join(work.path, 'home');
  mkdirSync(process.env.HOME);
  tokens.alice = await service.userWithToken('alice');
  tokens.bob = await service.userWithToken('bob');
  const app = express();
  app.use((req, res) => {
    const header = req.get('authorization');
    if (header) {
      authorizationsElsewhere.push(header);
    }
    res.status(401).set('WWW-Authenticate', 'Basic realm="elsewhere"').end();
  });
  elsewhere = await listen(app);
});
afterAll(async () => {
  await elsewhere.close();
  await service.close();
  work.remove();
});

const as = (user: string, cwd: string, ...argv: string[]) => hubshare(service, tokens[user], cwd, ...argv);

/** A fresh project published by alice, and checked out by bob with write access. */
async function sharedProject(): Promise<{ name: string; mine: string; theirs: string; marker: string }> {
  counter += 1;
  const name = `hostile-${counter}`;
  const mine = join(work.path, `alice-${name}`);
  mkdirSync(mine);
  writeFileSync(join(mine, 'notes.txt'), 'first\n');
  expect((await as('alice', mine, 'publish', '--name', name)).code).toBe(0);
  await grantAccess(service, tokens.alice, `alice/${name}`, 'bob', 'write');
  const theirs = join(work.path, `bob-${name}`);
  expect((await as('bob', work.path, 'checkout', `alice/${name}`, theirs)).code).toBe(0);
  return { name, mine, theirs, marker: join(work.path, `MARKER-${name}`) };
}

/** A `.hubshare` git directory at `dir` that passes for a checkout of its own, with `config` appended. */
function plantCheckout(dir: string, config: string): void {
  execFileSync('git', ['init', '-q', '--bare', join(dir, '.hubshare')], { env: { PATH: process.env.PATH, GIT_CONFIG_NOSYSTEM: '1', HOME: process.env.HOME } });
  appendFileSync(join(dir, '.hubshare', 'config'), config);
}

/** Commits `build`'s files on top of the project's main branch straight into its repository, past the service's hook. */
async function writePastTheHook(name: string, build: (dir: string) => void): Promise<void> {
  const plain = join(work.path, `plain-${name}`);
  // Not execFileSync: the service answers from this very process.
  const git = (...args: string[]) =>
    promisify(execFile)('git', ['-c', `http.extraHeader=Authorization: token ${tokens.alice}`, '-c', 'user.name=alice', '-c', 'user.email=a@example.org', ...args], {
      cwd: work.path,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' }
    });
  await git('clone', '-q', `${service.url}/git/alice/${name}.git`, plain);
  build(plain);
  await git('-C', plain, 'add', '-A', '-f');
  await git('-C', plain, 'commit', '-qm', 'a hostile tree');
  const repository = await repositoryOf(service, name);
  await git('-C', plain, 'push', '-q', '--receive-pack=git -c core.hooksPath=/dev/null receive-pack', repository, 'HEAD:main');
}

describe('a hostile tree in a checkout', () => {
  it('a sub/.hubshare with a filter in its config runs nothing and is never pushed, from sub/ or from the top', async () => {
    const { name, mine, theirs, marker } = await sharedProject();
    const sub = join(mine, 'sub');
    mkdirSync(sub);
    plantCheckout(sub, `[core]\n\tbare = false\n[hubshare]\n\tproject = alice/${name}\n[filter "x"]\n\tclean = touch ${marker}\n\tsmudge = touch ${marker}\n`);
    writeFileSync(join(sub, '.gitattributes'), '* filter=x\n');
    writeFileSync(join(sub, 'data.txt'), 'data\n');

    const push = await as('alice', sub, 'push');
    expect(existsSync(marker)).toBe(false);
    expect(push).toMatchObject({ code: 0, out: 'Pushed.' });
    expect(await as('bob', theirs, 'pull')).toMatchObject({ code: 0 });
    expect(readFileSync(join(theirs, 'sub', 'data.txt'), 'utf8')).toBe('data\n');
    expect(existsSync(join(theirs, 'sub', '.hubshare'))).toBe(false);
    expect(existsSync(marker)).toBe(false);
  });

  it('hubshare status run inside sub/ of a checkout uses the outer checkout, never a .hubshare nested in it', async () => {
    const { name, mine } = await sharedProject();
    const sub = join(mine, 'sub');
    mkdirSync(sub);
    plantCheckout(sub, `[core]\n\tbare = false\n[hubshare]\n\tproject = bob/elsewhere\n`);
    const status = await as('alice', sub, 'status');
    expect(status).toMatchObject({ code: 0 });
    expect(status.out.split('\n')[0]).toBe(`alice/${name} in ${mine}`);
  });

  it('a url.insteadOf planted in the checkout\'s config never sends the token to another host', async () => {
    const { mine } = await sharedProject();
    appendFileSync(join(mine, '.hubshare', 'config'), `[url "${elsewhere.url}/"]\n\tinsteadOf = ${service.url}/\n`);
    writeFileSync(join(mine, 'notes.txt'), 'second\n');
    await as('alice', mine, 'status');
    await as('alice', mine, 'push');
    await as('alice', mine, 'pull');
    expect(authorizationsElsewhere).toEqual([]);
    expect((await as('alice', mine, 'status')).out).toContain('Up to date.');
  });

  it('a filter or fsmonitor planted in the checkout\'s config never runs', async () => {
    const { mine, theirs, marker } = await sharedProject();
    appendFileSync(join(mine, '.hubshare', 'config'), `[filter "x"]\n\tclean = touch ${marker}\n\tsmudge = touch ${marker}\n[core]\n\tfsmonitor = touch ${marker}\n[include]\n\tpath = ${join(work.path, 'nowhere')}\n`);
    writeFileSync(join(mine, '.gitattributes'), '* filter=x\n');
    writeFileSync(join(mine, 'notes.txt'), 'filtered?\n');
    const push = await as('alice', mine, 'push');
    expect(existsSync(marker)).toBe(false);
    expect(push.code).toBe(0);
    expect((await as('bob', theirs, 'pull')).code).toBe(0);
    writeFileSync(join(theirs, 'notes.txt'), 'bob\n');
    expect((await as('bob', theirs, 'push')).code).toBe(0);
    expect((await as('alice', mine, 'pull')).code).toBe(0);
    expect(readFileSync(join(mine, 'notes.txt'), 'utf8')).toBe('bob\n');
    expect(existsSync(marker)).toBe(false);
  });

  it('checkout, clone or publish into a folder inside a checkout is refused in words, and nothing is written', async () => {
    const { name, mine } = await sharedProject();
    mkdirSync(join(mine, 'empty'));
    const before = treeHash(mine);
    for (const dir of [join(mine, 'nested'), join(mine, 'empty'), join(mine, 'deeper', 'still')]) {
      const checkout = await as('alice', work.path, 'checkout', `alice/${name}`, dir);
      expect(checkout, dir).toMatchObject({ code: 5 });
      expect(checkout.err).toBe(`hubshare: ${dir} is inside the HubShare checkout ${mine}; choose a folder outside it (a checkout inside another would push its files, history and all, into the outer project).`);
      const clone = await hubshareWithEnv({ HUBSHARE_ALLOW_HTTP_LOOPBACK: '1' }, service, tokens.alice, work.path, 'clone', 'http://127.0.0.1:9/some.git', dir);
      expect(clone.code, dir).toBe(5);
      expect(clone.err).toContain(`is inside the HubShare checkout ${mine}`);
      expect(treeHash(mine)).toEqual(before);
    }
    const publish = await as('alice', join(mine, 'empty'), 'publish', '--name', `${name}-inner`);
    expect(publish.code).toBe(5);
    expect(treeHash(mine)).toEqual(before);
  });

  it('never fetches a tree holding a/b/.HubShare/config (a .hubshare at any depth, in any case)', async () => {
    const { name, theirs, marker } = await sharedProject();
    await writePastTheHook(name, plain => {
      mkdirSync(join(plain, 'a', 'b', '.HubShare'), { recursive: true });
      writeFileSync(join(plain, 'a', 'b', '.HubShare', 'config'), `[core]\n\tfsmonitor = touch ${marker}\n[hubshare]\n\tproject = alice/${name}\n`);
      writeFileSync(join(plain, 'a', 'b', '.HubShare', 'HEAD'), 'ref: refs/heads/main\n');
      writeFileSync(join(plain, 'notes.txt'), 'changed\n');
    });
    const before = treeHash(theirs, ['.hubshare']);
    const pull = await as('bob', theirs, 'pull');
    expect(pull.code).toBe(5);
    expect(pull.err).toContain(`alice/${name} holds "a/b/.HubShare"`);
    expect((await as('bob', theirs, 'status')).err).toContain('"a/b/.HubShare"');
    expect(treeHash(theirs, ['.hubshare'])).toEqual(before);
    const fresh = join(work.path, `bob-fresh-${name}`);
    expect((await as('bob', work.path, 'checkout', `alice/${name}`, fresh)).code).toBe(5);
    expect(existsSync(fresh)).toBe(false);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('a .hubshare tracked from before the checks', () => {
  it('a sub/.hubshare tracked in a checkout\'s history leaves it at the next push, and stays on disk', async () => {
    const { name, mine, theirs } = await sharedProject();
    // What an earlier agent and service let through: the folder committed and pushed.
    mkdirSync(join(mine, 'sub', '.hubshare'), { recursive: true });
    writeFileSync(join(mine, 'sub', '.hubshare', 'config'), '[core]\n\tbare = false\n');
    const own = (...args: string[]) =>
      execFileSync('git', ['--git-dir', join(mine, '.hubshare'), '--work-tree', mine, '-c', 'user.name=alice', '-c', 'user.email=a@example.org', ...args], {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, GIT_CONFIG_NOSYSTEM: '1' }
      });
    own('add', '-f', 'sub/.hubshare/config');
    own('commit', '-q', '-m', 'from before');
    const repository = await repositoryOf(service, name);
    await promisify(execFile)('git', ['--git-dir', join(mine, '.hubshare'), 'push', '-q', '--receive-pack=git -c core.hooksPath=/dev/null receive-pack', repository, 'HEAD:main']);
    own('update-ref', 'refs/remotes/origin/main', 'HEAD');

    writeFileSync(join(mine, 'notes.txt'), 'second\n');
    expect(await as('alice', mine, 'push')).toMatchObject({ code: 0, out: 'Pushed.' });
    expect(await as('bob', theirs, 'pull')).toMatchObject({ code: 0 });
    expect(readFileSync(join(theirs, 'notes.txt'), 'utf8')).toBe('second\n');
    expect(existsSync(join(theirs, 'sub'))).toBe(false);
    expect(readFileSync(join(mine, 'sub', '.hubshare', 'config'), 'utf8')).toBe('[core]\n\tbare = false\n');
    expect((await as('alice', mine, 'status')).out).toContain('Up to date.');
  });
});

describe('the user\'s own git', () => {
  const userGit = (cwd: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=Owner', '-c', 'user.email=owner@example.org', ...args], {
      cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, GIT_CONFIG_NOSYSTEM: '1' },
      encoding: 'utf8'
    });

  it('git status in a published folder shows nothing of .hubshare, and HubShare never commits what hides it', async () => {
    counter += 1;
    const name = `own-${counter}`;
    const dir = join(work.path, name);
    mkdirSync(dir);
    userGit(dir, 'init', '-q', '-b', 'main');
    writeFileSync(join(dir, 'model.py'), 'print(1)\n');
    userGit(dir, 'add', 'model.py');
    userGit(dir, 'commit', '-qm', 'mine');
    writeFileSync(join(dir, 'scratch.txt'), 'untracked\n');
    const gitBefore = treeHash(join(dir, '.git'));
    const statusBefore = userGit(dir, 'status', '--porcelain');

    expect((await as('alice', dir, 'publish')).code).toBe(0);
    expect(userGit(dir, 'status', '--porcelain')).toBe(statusBefore);
    expect(userGit(dir, 'add', '--all', '--dry-run')).toBe("add 'scratch.txt'\n");
    expect(treeHash(join(dir, '.git'))).toEqual(gitBefore);

    const copy = join(work.path, `${name}-copy`);
    expect((await as('alice', work.path, 'checkout', `alice/${name}`, copy)).code).toBe(0);
    expect(Object.keys(treeHash(copy, ['.hubshare'])).sort()).toEqual(['model.py', 'scratch.txt']);
    expect((await as('alice', dir, 'status')).out).toContain('Up to date.');
  });
});
