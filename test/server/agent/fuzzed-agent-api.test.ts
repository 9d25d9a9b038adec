// Random requests to every route of the agent (what JupyterLab's proxy forwards): path segments,
// query strings, bodies, the proxy secret or not, JSON or a progress stream — against a user's
// root holding a clean checkout, a checkout with a pull waiting for picks, the user's own git
// repository and plain files. Invariants: no 5xx (in the status, or in a progress stream's last
// line); an answer of 4xx changed nothing — not one file under the user's root, not the
// service's database or repositories; the agent stays up. HUBSHARE_FUZZ_CASES sets how many.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROXY_SECRET_HEADER } from '../../../server/agent/access';
import { createAgentApp } from '../../../server/agent/app';
import { ServiceClient } from '../../../server/agent/service-client';
import type { DeclaredRoute } from '../../../server/shared/route-table';
import { listen, type Listening, temporaryDirectory } from '../http-harness';
import { startTestService, type TestService } from '../service/service-harness';

const CASES = Number(process.env.HUBSHARE_FUZZ_CASES ?? 1000);
const SECRET = 'the-agent-secret-for-the-fuzzed-requests';
const TEXT = (line3: string) => `one\ntwo\n${line3}\nfour\n`;

/** Every file under `dir` with its bytes' hash (git's FETCH_HEAD and index stat data aside: reading them is no change). */
function filesOf(dir: string, base = dir, into: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      filesOf(path, base, into);
    } else if (entry.isFile() && !['FETCH_HEAD', 'index'].includes(entry.name)) {
      into.push(`${relative(base, path)} ${createHash('sha1').update(readFileSync(path)).digest('hex')}`);
    }
  }
  return into;
}

describe('the agent\'s API under random requests', () => {
  let service: TestService;
  let agent: Listening;
  let routes: readonly DeclaredRoute[] = [];
  const work = temporaryDirectory('hubshare-agent-fuzz-');
  const root = join(work.path, 'alice');
  const log: string[] = [];
  let token = '';
  const home = process.env.HOME;

  const call = async (method: string, path: string, body?: unknown, accept?: string) => {
    const response = await fetch(`${agent.url}${path}`, {
      method,
      headers: { [PROXY_SECRET_HEADER]: SECRET, 'Content-Type': 'application/json', ...(accept ? { Accept: accept } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body)
    });
    return { status: response.status, text: await response.text() };
  };

  const snapshot = async (): Promise<string> => {
    const rows = await Promise.all(
      (['users', 'api_tokens', 'projects', 'user_grants', 'team_grants', 'teams', 'team_members', 'events', 'webhooks'] as const).map(async table =>
        (await service.data.db.selectFrom(table).selectAll().execute())
          .map(row => `${table} ${JSON.stringify(row, (key, value: unknown) => (key === 'last_used_at' ? undefined : value))}`)
          .sort()
          .join('\n')
      )
    );
    return [...rows, ...filesOf(service.data.repositoriesDir).sort(), ...filesOf(root).sort()].join('\n');
  };

  beforeAll(async () => {
    service = await startTestService();
    token = await service.userWithToken('alice');
    process.env.HOME = join(work.path, 'home');
    mkdirSync(process.env.HOME);
    mkdirSync(root);
    const created = createAgentApp({ rootDir: root, proxySecret: SECRET, service: new ServiceClient(service.url, token), log: line => log.push(line) });
    routes = created.routes.routes;
    agent = await listen(created.app);
    // A clean checkout, and a second one whose pull waits for a pick on notes.txt.
    mkdirSync(join(root, 'study'));
    writeFileSync(join(root, 'study', 'notes.txt'), TEXT('three'));
    writeFileSync(join(root, 'study', 'nb.ipynb'), JSON.stringify({ cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 }));
    expect((await call('POST', '/api/checkouts/publish', { path: 'study', name: 'study' })).status).toBe(201);
    expect((await call('POST', '/api/checkouts/checkout', { project: 'alice/study', path: 'waiting' })).status).toBe(201);
    writeFileSync(join(root, 'study', 'notes.txt'), TEXT('three, from study'));
    expect((await call('POST', '/api/checkouts/push', { path: 'study' })).status).toBe(200);
    writeFileSync(join(root, 'waiting', 'notes.txt'), TEXT('three, from waiting'));
    expect(JSON.parse((await call('POST', '/api/checkouts/pull', { path: 'waiting' })).text)).toMatchObject({ conflicts: [{ path: 'notes.txt' }] });
    // The user's own repository, and plain files.
    mkdirSync(join(root, 'own-repo'));
    writeFileSync(join(root, 'own-repo', 'mine.txt'), 'mine\n');
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: join(root, 'own-repo') });
    mkdirSync(join(root, 'plain'));
    writeFileSync(join(root, 'plain', 'notes.txt'), 'plain\n');
  }, 60_000);
  afterAll(async () => {
    expect(log.join('\n')).not.toContain(token);
    await agent.close();
    await service.close();
    work.remove();
    process.env.HOME = home;
  });

  const segment = fc.oneof(
    fc.constantFrom('alice', 'study', 'waiting', 'own-repo', 'plain', 'main', 'notes.txt', 'nb.ipynb', 'HEAD', '0', '..', '.', '', 'a'.repeat(300), '%2e%2e', '%00', '__proto__'),
    fc.string({ maxLength: 24 }).map(encodeURIComponent)
  );
  const pathValue = fc.oneof(
    fc.constantFrom('study', 'waiting', 'own-repo', 'own-repo/.git', 'plain', 'plain/notes.txt', '', '.', '..', '../..', '/etc', 'study/.hubshare', 'waiting/../study', 'new-folder', 'study/inner', '-rf', '--output=x'),
    fc.string({ maxLength: 20 })
  );
  const value = fc.oneof(pathValue, fc.constantFrom('notes.txt', 'nb.ipynb', 'mine', 'theirs', 'shared', 'mine', '1', '0', '-1', 'NaN'), fc.integer().map(String));
  const body = fc.oneof(
    fc.constant(undefined),
    fc.jsonValue({ maxDepth: 2 }).map(json => JSON.stringify(json)),
    fc
      .record(
        {
          path: pathValue,
          name: fc.oneof(segment, fc.string({ maxLength: 30 })),
          project: fc.oneof(fc.constantFrom('alice/study', 'alice/nothing', '../x', 'alice/study/../..'), fc.string({ maxLength: 20 })),
          url: fc.oneof(fc.constantFrom('file:///etc', 'http://127.0.0.1:1/x', 'ext::sh -c touch% /tmp/pwned', '--upload-pack=touch /tmp/x', 'https://127.0.0.1:1/x.git'), fc.string({ maxLength: 30 })),
          files: fc.oneof(fc.constant('all'), fc.array(fc.oneof(fc.constantFrom('notes.txt', '../x', '.hubshare/config'), fc.string({ maxLength: 10 })), { maxLength: 3 })),
          file: fc.oneof(fc.constantFrom('notes.txt', 'nb.ipynb', '../../etc/passwd', '.hubshare/config'), fc.string({ maxLength: 10 })),
          part: fc.oneof(fc.constantFrom('0', '1', 'metadata', '-1', '99'), fc.string({ maxLength: 8 })),
          side: fc.constantFrom('mine', 'theirs', 'both', ''),
          message: fc.string({ maxLength: 60 }),
          visibility: fc.constantFrom('private', 'hub', 'public', ''),
          level: fc.constantFrom('read', 'write', 'owner'),
          description: fc.string({ maxLength: 40 })
        },
        { requiredKeys: [] }
      )
      .map(record => JSON.stringify(record))
  );
  const request = fc.record({
    route: fc.integer({ min: 0, max: 10_000 }),
    segments: fc.array(segment, { minLength: 6, maxLength: 6 }),
    query: fc.dictionary(fc.constantFrom('path', 'file', 'scope', 'limit', 'q', 'ref', 'cursor'), value, { maxKeys: 3 }),
    body,
    secret: fc.constantFrom(SECRET, SECRET, SECRET, 'wrong-secret-but-long-enough-to-check', ''),
    stream: fc.boolean()
  });

  it(`answers ${CASES} random requests without a 5xx, and a 4xx changes nothing`, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, async drawn => {
        const route = routes[drawn.route % routes.length];
        let index = 0;
        const path = route.path.replace(/:(\w+)|\*(\w+)/g, () => drawn.segments[index++]).replace(/[{}]/g, '');
        const query = new URLSearchParams(drawn.query).toString();
        const method = route.method.toUpperCase();
        const before = await snapshot();
        const response = await fetch(`${agent.url}${path}${query ? `?${query}` : ''}`, {
          method,
          redirect: 'manual',
          headers: {
            'Content-Type': 'application/json',
            ...(drawn.secret ? { [PROXY_SECRET_HEADER]: drawn.secret } : {}),
            ...(drawn.stream ? { Accept: 'application/x-ndjson' } : {})
          },
          body: method === 'GET' ? undefined : drawn.body
        });
        const text = await response.text();
        // A progress stream answers 200 at once; how it ended is its last line.
        let status = response.status;
        if ((response.headers.get('content-type') ?? '').includes('ndjson')) {
          const last = JSON.parse(text.trim().split('\n').pop() ?? '{}') as { status?: number };
          status = last.status ?? 500;
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        const label = `${method} ${path}?${query} ${drawn.body ?? ''}`;
        expect(status, `${label} → ${text.slice(0, 300)}`).toBeLessThan(500);
        if (status >= 400) {
          const after = await snapshot();
          if (after !== before) {
            const was = new Set(before.split('\n'));
            const now = new Set(after.split('\n'));
            const changed = [...[...now].filter(line => !was.has(line)).map(line => `+ ${line}`), ...[...was].filter(line => !now.has(line)).map(line => `- ${line}`)];
            expect.fail(`${label} answered ${status} and changed:\n${changed.join('\n').slice(0, 2000)}`);
          }
        }
      }),
      { numRuns: CASES }
    );
    expect((await call('GET', '/api/checkouts')).status).toBe(200);
    console.log(`fuzzed agent API: ${CASES} requests over ${routes.length} routes; statuses ${[...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`).join(' ')}`);
  }, 600_000);
});
