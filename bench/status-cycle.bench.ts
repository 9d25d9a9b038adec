// The panel's status cadence for a user with 20 checkouts, nothing changed since the last look:
// one round through the agent's engine now (one request to the service for where the projects
// stand, no fetch), against the baseline of what a round cost before — a `git fetch` per
// checkout — and against reading each checkout's status on its own. Service requests per round
// are printed beside the times.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { Checkouts } from '../server/agent/checkouts/checkouts';
import { sized } from './bench-scale';
import { temporaryDirectory } from '../test/server/http-harness';
import { startTestService, type TestService } from '../test/server/service/service-harness';

const run = promisify(execFile);
const CHECKOUTS = sized(20, 4);
let service: TestService;
let work: ReturnType<typeof temporaryDirectory>;
let checkouts: Checkouts;
let token = '';
const roots: string[] = [];

/** Service requests logged so far. */
const requestCount = () => service.logs.filter(line => line.includes('"req":')).length;

/** Prints how many service requests a round made, measured once outside the timing. */
async function requestsPerRound(label: string, round: () => Promise<unknown>): Promise<void> {
  const before = requestCount();
  await round();
  console.log(`${label}: ${requestCount() - before} service requests per round of ${CHECKOUTS} checkouts`);
}

/** One `git fetch` per checkout, as each status did before (the token in git's environment, not argv). */
async function fetchEach(): Promise<void> {
  for (const [index, root] of roots.entries()) {
    await run('git', ['--git-dir', join(root, '.hubshare'), 'fetch', '-q', '--no-tags', `${service.url}/git/alice/status-${index}.git`, '+refs/heads/main:refs/remotes/origin/main'], {
      env: { PATH: process.env.PATH, HOME: work.path, GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.extraHeader', GIT_CONFIG_VALUE_0: `Authorization: token ${token}` }
    });
  }
}

beforeAll(async () => {
  service = await startTestService('sqlite');
  work = temporaryDirectory('hubshare-bench-status-');
  process.env.HOME = join(work.path, 'home');
  mkdirSync(process.env.HOME);
  token = await service.userWithToken('alice');
  checkouts = new Checkouts({ url: service.url, token, userName: 'alice' });
  for (let index = 0; index < CHECKOUTS; index++) {
    const root = join(work.path, `status-${index}`);
    mkdirSync(root);
    writeFileSync(join(root, 'notes.txt'), `checkout ${index}\n`);
    await checkouts.publish(root, { name: `status-${index}` });
    roots.push(root);
  }
  await requestsPerRound('before: a git fetch per checkout', fetchEach);
  await requestsPerRound('each status on its own', () => Promise.all(roots.map(root => checkouts.status(root))));
  await requestsPerRound('now: all statuses at once', () => checkouts.statuses(roots));
}, 120_000);

afterAll(async () => {
  await service.close();
  work.remove();
});

describe(`a status round of ${CHECKOUTS} checkouts where nothing changed`, () => {
  bench('now: all statuses at once (one heads request, no fetch)', () => checkouts.statuses(roots).then(() => undefined), { iterations: sized(10, 2), time: 0 });
  bench('each status on its own (a heads request each, no fetch)', async () => {
    for (const root of roots) {
      await checkouts.status(root);
    }
  }, { iterations: sized(10, 2), time: 0 });
  bench('baseline, as before: a git fetch per checkout', fetchEach, { iterations: sized(10, 2), time: 0 });
});
