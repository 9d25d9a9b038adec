import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { runHubShareCli } from '../../../../server/agent/cli';
import { temporaryDirectory } from '../../http-harness';
import { startTestService, type TestService } from '../../service/service-harness';
import { validateNotebooks } from './nbformat-validator';

/** What one `hubshare` command did. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs the `hubshare` CLI in-process, as the token's user, in `cwd`. */
export function hubshare(service: { url: string }, token: string, cwd: string, ...argv: string[]): Promise<CliRun> {
  return hubshareWithEnv({}, service, token, cwd, ...argv);
}

/** The same, with more environment variables (e.g. HUBSHARE_ALLOW_HTTP_LOOPBACK). */
export async function hubshareWithEnv(
  extraEnv: Record<string, string>,
  service: { url: string },
  token: string,
  cwd: string,
  ...argv: string[]
): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runHubShareCli(argv, {
    out: text => out.push(text),
    err: text => err.push(text),
    env: { HUBSHARE_URL: service.url, HUBSHARE_TOKEN: token, ...extraEnv },
    cwd
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/**
 * Every file under `dir` with a hash of its bytes (links by target), skipping `skip` names at
 * the top: two equal values mean byte-for-byte equal trees.
 */
export function treeHash(dir: string, skip: readonly string[] = []): Record<string, string> {
  const result: Record<string, string> = {};
  const walk = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      const rel = relative(dir, path);
      if (current === dir && skip.includes(name)) {
        continue;
      }
      const stat = lstatSync(path);
      if (stat.isSymbolicLink()) {
        result[rel] = `link:${readlinkSync(path)}`;
      } else if (stat.isDirectory()) {
        walk(path);
      } else {
        result[rel] = createHash('sha256').update(readFileSync(path)).digest('hex');
      }
    }
  };
  walk(dir);
  return result;
}

/** A small valid notebook whose one code cell holds `source`. */
export function notebook(source: string): string {
  return `${JSON.stringify(
    {
      cells: [{ cell_type: 'code', execution_count: null, id: 'first-cell', metadata: {}, outputs: [], source: [source] }],
      metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' } },
      nbformat: 4,
      nbformat_minor: 5
    },
    null,
    1
  )}\n`;
}

/** Throws unless every .ipynb under `dir` is a valid notebook of its nbformat version (the real nbformat). */
export function expectNotebooksValid(dir: string): void {
  const paths = Object.keys(treeHash(dir, ['.hubshare', '.git'])).filter(path => path.endsWith('.ipynb'));
  validateNotebooks(paths.map(path => readFileSync(join(dir, path), 'utf8')));
}

/** Gives `user` a level on a project, as its owner would in the Share dialog. */
export async function grantAccess(service: { url: string }, ownerToken: string, project: string, user: string, level: 'read' | 'write' | 'admin'): Promise<void> {
  const answer = await fetch(`${service.url}/api/v1/projects/${project}/grants/users/${user}`, {
    method: 'PUT',
    headers: { Authorization: `token ${ownerToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ level })
  });
  expect(answer.status).toBe(200);
}

/**
 * A test file's world: a service with alice and bob signed in and a work folder whose `home`
 * is git's HOME, set up before the file's tests and removed after them.
 */
export function aliceAndBob(prefix: string) {
  const world = { service: undefined as unknown as TestService, work: undefined as unknown as ReturnType<typeof temporaryDirectory>, tokens: {} as Record<string, string> };
  beforeAll(async () => {
    world.service = await startTestService();
    world.work = temporaryDirectory(prefix);
    // git (through the agent) runs with this HOME: the token must never appear in it.
    process.env.HOME = join(world.work.path, 'home');
    mkdirSync(process.env.HOME);
    world.tokens.alice = await world.service.userWithToken('alice');
    world.tokens.bob = await world.service.userWithToken('bob');
  });
  afterAll(async () => {
    await world.service.close();
    world.work.remove();
  });
  const as = (user: 'alice' | 'bob', cwd: string, ...argv: string[]) => hubshare(world.service, world.tokens[user], cwd, ...argv);
  return { world, as };
}
