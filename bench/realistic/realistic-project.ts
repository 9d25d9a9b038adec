// End to end, as users run it: publish, check out, push and pull a realistic project (300 text
// files, 20 notebooks, 30 MB of binary data; 30 files changed per push or pull) through the
// `hubshare` CLI and through the agent's API (the panel's path, no node start-up), against plain
// git through the same service, and plain git through the service against plain git through a
// bare `git http-backend`, with the service's receive settings and with git's defaults. Each
// figure is the median of several rounds; the ways take turns within a round, and each round's
// preparation (a fresh copy, the change, the other side's push) is not timed.
//
// Usage: node <bundle> RESULT.json (scripts/bench.mjs bundles and runs it; HUBSHARE_BENCH_SCALE=small
// for CI's smoke size). Needs the built bundles (npm run build).
import { appendFileSync, chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { changeFiles, FULL_PROJECT, SMALL_PROJECT, writeProject } from './project-content';
import { startHttpBackend } from '../../test/server/git-http-backend';
import { cliRunner, git, gitEnvironment, gitOnPath, memoryOf, startAgent, startService } from './stack';
import type { BenchGroup, BenchResult, RealisticReport } from './report-types';

const SMALL = process.env.HUBSHARE_BENCH_SCALE === 'small';
const shape = SMALL ? SMALL_PROJECT : FULL_PROJECT;
const ROUNDS = SMALL ? 2 : 5;
const BARE_SETTINGS = '[receive]\n\tfsckObjects = true\n\tdenyNonFastForwards = true\n\tdenyDeletes = true\n[core]\n\tfsync = committed\n\tfsyncMethod = fsync\n';

/** One way of doing the four operations. */
interface Way {
  label: string;
  /** The way each figure is divided by, and the goal for the ratio (null: shown, no goal). */
  against: string | null;
  goal: number | null;
  publish(dir: string, name: string): Promise<void>;
  checkout(name: string, dest: string): Promise<void>;
  push(dir: string): Promise<void>;
  pull(dir: string): Promise<void>;
  /** The URL plain git reaches a project of this way at (for the other side's pushes). */
  urlOf(name: string): string;
  /** Done before `publish`, untimed: what plain git cannot do itself (create the project). */
  prepare(name: string): Promise<void>;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

async function main(output: string): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'hubshare-bench-realistic-'));
  const home = join(work, 'home');
  mkdirSync(home);
  const env = gitEnvironment(home);
  const service = await startService(join(work, 'service'));
  const token = await service.userWithToken('alice');
  const root = join(work, 'root');
  mkdirSync(root);
  const agent = await startAgent(root, service.url, token, home);
  const cli = cliRunner(service.url, token, home);
  const bareRoots = { matched: join(work, 'bare-matched'), plain: join(work, 'bare-plain') };
  mkdirSync(bareRoots.matched);
  mkdirSync(bareRoots.plain);
  const backends = { matched: await startHttpBackend(bareRoots.matched, { pushes: true }), plain: await startHttpBackend(bareRoots.plain, { pushes: true }) };
  const serviceUrl = (name: string) => {
    const url = new URL(`${service.url}/git/alice/${name}.git`);
    url.username = 'alice';
    url.password = token;
    return url.toString();
  };
  const createProject = async (name: string) => {
    const response = await fetch(`${service.url}/api/v1/projects`, {
      method: 'POST',
      headers: { Authorization: `token ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name })
    });
    if (!response.ok) {
      throw new Error(`creating ${name}: ${response.status} ${await response.text()}`);
    }
  };
  const plainGit = (label: string, against: string | null, goal: number | null, urlOf: (name: string) => string, prepare: (name: string) => Promise<void>): Way => ({
    label,
    against,
    goal,
    urlOf,
    prepare,
    publish: async (dir, name) => {
      await git(['init', '-q', '-b', 'main'], dir, env);
      await git(['add', '-A'], dir, env);
      await git(['commit', '-q', '-m', 'First version'], dir, env);
      await git(['remote', 'add', 'origin', urlOf(name)], dir, env);
      await git(['push', '-q', '-u', 'origin', 'main'], dir, env);
    },
    checkout: async (name, dest) => {
      await git(['clone', '-q', urlOf(name), dest], root, env);
    },
    push: async dir => {
      await git(['add', '-A'], dir, env);
      await git(['commit', '-q', '-m', 'Changes'], dir, env);
      await git(['push', '-q', 'origin', 'main'], dir, env);
    },
    pull: async dir => {
      await git(['pull', '-q', '--no-rebase', '--no-edit', 'origin', 'main'], dir, env);
    }
  });
  const bare = (kind: 'matched' | 'plain') => async (name: string) => {
    const path = join(bareRoots[kind], `${name}.git`);
    await git(['init', '-q', '--bare', '-b', 'main', path], work, env);
    if (kind === 'matched') {
      appendFileSync(join(path, 'config'), BARE_SETTINGS);
    }
  };
  const viaService = 'plain git via the service';
  const viaBareMatched = 'plain git via git http-backend, the same receive settings';
  const relative = (dir: string) => dir.slice(root.length + 1);
  const ways: Way[] = [
    {
      label: 'hubshare CLI',
      against: viaService,
      goal: 1.15,
      urlOf: serviceUrl,
      prepare: async () => undefined,
      publish: async (dir, name) => void (await cli(['publish', dir, '--name', name], dir)),
      checkout: async (name, dest) => void (await cli(['checkout', `alice/${name}`, dest], root)),
      push: async dir => void (await cli(['push', dir], dir)),
      pull: async dir => void (await cli(['pull', dir], dir))
    },
    {
      label: 'agent API (the panel)',
      against: viaService,
      goal: 1.15,
      urlOf: serviceUrl,
      prepare: async () => undefined,
      publish: async (dir, name) => void (await agent.call('POST', '/api/checkouts/publish', { path: relative(dir), name })),
      checkout: async (name, dest) => void (await agent.call('POST', '/api/checkouts/checkout', { project: `alice/${name}`, path: relative(dest) })),
      push: async dir => void (await agent.call('POST', '/api/checkouts/push', { path: relative(dir) })),
      pull: async dir => void (await agent.call('POST', '/api/checkouts/pull', { path: relative(dir) }))
    },
    plainGit(viaService, viaBareMatched, 1.1, serviceUrl, createProject),
    plainGit(viaBareMatched, 'plain git via git http-backend, git defaults', null, name => `${backends.matched.url}/${name}.git`, bare('matched')),
    plainGit('plain git via git http-backend, git defaults', null, null, name => `${backends.plain.url}/${name}.git`, bare('plain'))
  ];

  const source = join(work, 'source');
  writeProject(source, shape);
  const samples = new Map<string, Map<string, number[]>>();
  const time = async (group: string, way: Way, work: () => Promise<void>) => {
    const started = performance.now();
    await work();
    const elapsed = performance.now() - started;
    const byWay = samples.get(group) ?? new Map<string, number[]>();
    samples.set(group, byWay.set(way.label, [...(byWay.get(way.label) ?? []), elapsed]));
  };
  let revision = 1;
  const groups = {
    publish: `publish a new project (${shape.textFiles} text files, ${shape.notebooks} notebooks, ${(shape.binaryFiles * shape.binaryBytes) / 2 ** 20} MB binary)`,
    checkout: 'check out the project',
    push: `push ${shape.changed} changed files`,
    pull: `pull ${shape.changed} files changed by someone else`
  };

  // Publish: a fresh copy each round (the copy is not timed), a new project each time.
  for (let round = 0; round < ROUNDS; round++) {
    for (const [index, way] of ways.entries()) {
      const name = `publish-${index}-${round}`;
      const dir = join(root, name);
      cpSync(source, dir, { recursive: true });
      await way.prepare(name);
      await time(groups.publish, way, () => way.publish(dir, name));
      rmSync(dir, { recursive: true, force: true });
    }
  }
  // The project each way pushes to and pulls from, and its working copies: the reader (timed)
  // and the other side, a plain git clone that makes the change the reader pulls.
  const sides = await Promise.all(
    ways.map(async (way, index) => {
      const name = `project-${index}`;
      const dir = join(root, name);
      cpSync(source, dir, { recursive: true });
      await way.prepare(name);
      await way.publish(dir, name);
      const other = join(work, `other-${index}`);
      await git(['clone', '-q', way.urlOf(name), other], work, env);
      return { way, name, dir, other };
    })
  );
  for (let round = 0; round < ROUNDS; round++) {
    for (const { way, name } of sides) {
      const dest = join(root, `checkout-${name}-${round}`);
      await time(groups.checkout, way, () => way.checkout(name, dest));
      rmSync(dest, { recursive: true, force: true });
    }
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const { way, dir } of sides) {
      changeFiles(dir, shape, revision++);
      await time(groups.push, way, () => way.push(dir));
    }
    for (const { way, other, dir } of sides) {
      await git(['pull', '-q', '--no-rebase', '--no-edit', 'origin', 'main'], other, env);
      changeFiles(other, shape, revision++);
      await git(['commit', '-q', '-am', 'Their changes'], other, env);
      await git(['push', '-q', 'origin', 'main'], other, env);
      await time(groups.pull, way, () => way.pull(dir));
      if (readFileSync(join(dir, 'src', 'pkg_0', 'module_0.py'), 'utf8') !== readFileSync(join(other, 'src', 'pkg_0', 'module_0.py'), 'utf8')) {
        throw new Error(`${way.label}: the pull did not bring the other side's change`);
      }
    }
  }

  const processes = await countGitProcesses(work, sides[0].dir, sides[2].dir, shape, () => revision++, cli, env);
  const report: RealisticReport = {
    scale: SMALL ? 'small' : 'full',
    rounds: ROUNDS,
    groups: Object.values(groups).map((group): BenchGroup => ({
      name: group,
      benchmarks: ways.map((way): BenchResult => {
        const values = samples.get(group)?.get(way.label) ?? [];
        return { name: way.label, median: median(values), min: Math.min(...values), max: Math.max(...values), samples: values.length, against: way.against, goal: way.goal };
      })
    })),
    memory: { service: memoryOf(service.pid), agent: memoryOf(agent.pid) },
    gitProcesses: processes
  };
  writeFileSync(output, `${JSON.stringify(report, null, 2)}\n`);
  await agent.close();
  await service.close();
  await backends.matched.close();
  await backends.plain.close();
  rmSync(work, { recursive: true, force: true });
}

/**
 * How many git commands one push and one status start through the CLI, and a plain git push
 * (add, commit, push): git on a PATH that logs each start, outside the timed rounds. git's own
 * helpers (pack-objects, remote-http) start from its exec path and are not counted on either side.
 */
async function countGitProcesses(
  work: string,
  checkout: string,
  plain: string,
  shape: typeof FULL_PROJECT,
  nextRevision: () => number,
  cli: ReturnType<typeof cliRunner>,
  env: NodeJS.ProcessEnv
): Promise<RealisticReport['gitProcesses']> {
  const bin = join(work, 'counting-bin');
  const log = join(work, 'git-starts.log');
  mkdirSync(bin);
  const realGit = gitOnPath();
  writeFileSync(join(bin, 'git'), `#!/bin/sh\necho "$1" >> '${log}'\nexec '${realGit}' "$@"\n`);
  chmodSync(join(bin, 'git'), 0o755);
  const counted = async (work: () => Promise<unknown>) => {
    writeFileSync(log, '');
    await work();
    return readFileSync(log, 'utf8').split('\n').filter(Boolean).length;
  };
  const countingEnv = { ...env, PATH: `${bin}:${env.PATH}` };
  const countingCli = (args: string[], cwd: string) => cli(args, cwd, { PATH: countingEnv.PATH });
  changeFiles(checkout, shape, nextRevision());
  const cliPush = await counted(() => countingCli(['push', checkout], checkout));
  const cliStatus = await counted(() => countingCli(['status', checkout], checkout));
  changeFiles(plain, shape, nextRevision());
  const gitPush = await counted(async () => {
    await git(['add', '-A'], plain, countingEnv);
    await git(['commit', '-q', '-m', 'Changes'], plain, countingEnv);
    await git(['push', '-q', 'origin', 'main'], plain, countingEnv);
  });
  return { cliPush, cliStatus, gitPush };
}

void main(process.argv[2] ?? join(process.cwd(), 'bench-realistic.json')).catch(error => {
  console.error(error);
  process.exit(1);
});
