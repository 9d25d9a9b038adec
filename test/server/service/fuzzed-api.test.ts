// Random requests to every route of the service — path segments, query strings, bodies and
// headers drawn by fast-check, as the signed-in owner, another user, a hub admin, a forged token
// or nobody — with three invariants: no answer is a 5xx, an answer of 4xx changed nothing (the
// database and the repositories are as before, byte for byte), and the service stays up.
// HUBSHARE_FUZZ_CASES sets how many (1,000 in CI); a failure prints the request to replay.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceApp } from '../../../server/service/app';
import { GitRunner } from '../../../server/service/git/git-runner';
import type { DeclaredRoute } from '../../../server/shared/route-table';
import { temporaryDirectory } from '../http-harness';
import { cloneUrl, GitClient } from './git-client';
import { callApi, startTestService, type TestService } from './service-harness';
import { testEngines } from './test-databases';

const CASES = Number(process.env.HUBSHARE_FUZZ_CASES ?? 1000);
const TABLES = ['users', 'api_tokens', 'projects', 'teams', 'team_members', 'user_grants', 'team_grants', 'events', 'webhooks', 'webhook_deliveries', 'repository_states'] as const;

/** Every file under `dir` with its bytes' hash: what a request may not change on disk. */
function filesOf(dir: string, into: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      filesOf(path, into);
    } else if (entry.isFile()) {
      into.push(`${path} ${createHash('sha1').update(readFileSync(path)).digest('hex')}`);
    }
  }
  return into;
}

describe.each(testEngines())('the API under random requests, on %s', engine => {
  let service: TestService;
  let routes: readonly DeclaredRoute[] = [];
  const tokens: Record<string, string> = {};
  const work = temporaryDirectory('hubshare-fuzz-');

  /** The state a 4xx may not change (a token's last use aside: reading is no change). */
  const snapshot = async (): Promise<string> => {
    const rows = await Promise.all(
      // Rows in a fixed order: PostgreSQL answers in physical order, which an update moves.
      TABLES.map(async table =>
        (await service.data.db.selectFrom(table).selectAll().execute())
          .map(row => `${table} ${JSON.stringify(row, (key, value: unknown) => (key === 'last_used_at' ? undefined : value))}`)
          .sort()
          .join('\n')
      )
    );
    const disk = filesOf(service.data.repositoriesDir).sort();
    return [...rows, ...disk].join('\n');
  };

  beforeAll(async () => {
    service = await startTestService(engine);
    tokens.alice = await service.userWithToken('alice');
    tokens.bob = await service.userWithToken('bob');
    tokens.root = await service.userWithToken('root', { admin: true });
    tokens.forged = 'hs_forged-token';
    tokens.none = '';
    // Something to find: a project with a commit, a grant, a team, a webhook.
    expect((await callApi(service, tokens.alice, 'POST', '/projects', { name: 'study' })).status).toBe(201);
    const git = new GitClient(join(work.path, 'home'));
    const clone = join(work.path, 'clone');
    await git.run(['init', '-q', '-b', 'main', clone]);
    writeFileSync(join(clone, 'notes.md'), '# notes\n');
    writeFileSync(join(clone, 'nb.ipynb'), JSON.stringify({ cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 }));
    await git.run(['-C', clone, 'add', '.']);
    await git.run(['-C', clone, 'commit', '-q', '-m', 'first']);
    await git.run(['-C', clone, 'push', '-q', cloneUrl(service.url, 'alice', tokens.alice, 'alice/study'), 'HEAD:main']);
    expect((await callApi(service, tokens.alice, 'PUT', '/projects/alice/study/grants/users/bob', { level: 'read' })).status).toBeLessThan(300);
    expect((await callApi(service, tokens.alice, 'POST', '/teams', { name: 'lab' })).status).toBe(201);
    // A second app on the same data, only to list the routes; closed (its start-time recovery
    // done) before the first request, so nothing but the requests changes the state.
    const probe = createServiceApp({ data: service.data, git: new GitRunner(service.dataDir), identity: { resolve: token => service.accounts.authenticate(token) }, logger: pino({ enabled: false }) });
    routes = probe.routes.routes;
    await probe.close();
  }, 60_000);
  afterAll(async () => {
    await service.close();
    work.remove();
  });

  const segment = fc.oneof(
    fc.constantFrom('alice', 'bob', 'root', 'study', 'lab', 'main', 'notes.md', 'nb.ipynb', 'HEAD', '1', '0', '-1', '..', '.', '', 'a'.repeat(300), '%2e%2e', '%00', 'study.git', '__proto__', 'constructor'),
    fc.string({ maxLength: 24 }).map(encodeURIComponent),
    fc.string({ unit: 'grapheme', maxLength: 12 }).map(encodeURIComponent)
  );
  const value = fc.oneof(fc.constantFrom('mine', 'shared', 'all', '1', '500', '501', '0', '-1', 'NaN', '1e9', 'main', 'HEAD~1', '--output=/tmp/x', ''), fc.string({ maxLength: 30 }), fc.integer().map(String));
  const body = fc.oneof(
    fc.constant(undefined),
    fc.jsonValue({ maxDepth: 3 }).map(json => JSON.stringify(json)),
    fc
      .record(
        {
          name: fc.oneof(segment, fc.string({ maxLength: 40 })),
          level: fc.constantFrom('read', 'write', 'admin', 'owner', ''),
          visibility: fc.constantFrom('private', 'hub', 'public'),
          pages: fc.constantFrom('off', 'private', 'hub', 'on'),
          description: fc.string({ maxLength: 80 }),
          url: fc.oneof(fc.webUrl(), fc.constantFrom('http://127.0.0.1:1/', 'file:///etc/passwd', 'javascript:alert(1)')),
          role: fc.constantFrom('member', 'maintainer', 'boss'),
          projects: fc.array(fc.oneof(fc.constant('alice/study'), fc.string({ maxLength: 20 })), { maxLength: 5 })
        },
        { requiredKeys: [] }
      )
      .map(record => JSON.stringify(record)),
    fc.string({ maxLength: 200 })
  );
  const request = fc.record({
    route: fc.integer({ min: 0, max: 10_000 }),
    // Now and then a route's path behind an extra `/`, `/.` or `/..`: `//…` is a target that
    // reads as a URL with no host to anything that parses it as one.
    prefix: fc.constantFrom('', '', '', '', '', '/', '/.', '/..'),
    segments: fc.array(segment, { minLength: 6, maxLength: 6 }),
    query: fc.dictionary(fc.constantFrom('scope', 'limit', 'cursor', 'q', 'since', 'path', 'ref', 'level', 'service', 'from', 'to'), value, { maxKeys: 3 }),
    body,
    who: fc.constantFrom('alice', 'bob', 'root', 'forged', 'none'),
    contentType: fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin-9', undefined),
    // How the credentials are written (git sends Basic; the panel, `token`), and headers a client
    // may add: a body it says is compressed, a conditional read, a range, a language.
    scheme: fc.constantFrom('token', 'Bearer', 'bearer', 'Basic', 'Basic-bad', 'token-twice'),
    extra: fc.dictionary(
      fc.constantFrom('If-None-Match', 'Content-Encoding', 'Accept', 'Range', 'Accept-Encoding', 'X-Forwarded-For', 'Accept-Language'),
      fc.oneof(fc.constantFrom('*', '"abc"', 'W/"x", "y"', 'gzip', 'deflate', 'br', 'identity', 'bytes=0-1', 'bytes=5-1', '*/*', 'text/html', 'application/x-git-upload-pack-result', '127.0.0.1, ::1'), fc.string({ maxLength: 30 }).filter(text => /^[\x20-\x7e]*$/.test(text))),
      { maxKeys: 2 }
    )
  });

  it(`answers ${CASES} random requests without a 5xx, and a 4xx changes nothing`, async () => {
    let answered = 0;
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, async drawn => {
        const route = routes[drawn.route % routes.length];
        let index = 0;
        const routePath = route.path.replace(/:(\w+)|\*(\w+)/g, () => drawn.segments[index++ % drawn.segments.length]).replace(/[{}]/g, '');
        const path = `${drawn.prefix}${routePath}`;
        const query = new URLSearchParams(drawn.query).toString();
        const headers: Record<string, string> = {};
        const token = tokens[drawn.who];
        if (token) {
          const user = drawn.who === 'forged' ? 'alice' : drawn.who;
          headers.Authorization = {
            token: `token ${token}`,
            Bearer: `Bearer ${token}`,
            bearer: `bearer ${token}`,
            Basic: `Basic ${Buffer.from(`${user}:${token}`).toString('base64')}`,
            'Basic-bad': `Basic ${token}`,
            'token-twice': `token ${token} ${token}`
          }[drawn.scheme];
        }
        Object.assign(headers, drawn.extra);
        if (drawn.contentType) {
          headers['Content-Type'] = drawn.contentType;
        }
        const method = route.method.toUpperCase();
        const before = await snapshot();
        const response = await fetch(`${service.url}${path}${query ? `?${query}` : ''}`, {
          method,
          headers,
          body: method === 'GET' || method === 'HEAD' ? undefined : drawn.body
        });
        await response.arrayBuffer();
        answered += 1;
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        expect(response.status, `${method} ${path}?${query} as ${drawn.who}`).toBeLessThan(500);
        if (response.status >= 400) {
          const after = await snapshot();
          if (after !== before) {
            const was = new Set(before.split('\n'));
            const now = new Set(after.split('\n'));
            const changed = [...[...now].filter(line => !was.has(line)).map(line => `+ ${line}`), ...[...was].filter(line => !now.has(line)).map(line => `- ${line}`)];
            expect.fail(`${method} ${path}?${query} as ${drawn.who} answered ${response.status} and changed:\n${changed.join('\n').slice(0, 2000)}`);
          }
        }
      }),
      { numRuns: CASES }
    );
    expect((await fetch(`${service.url}/health`)).status).toBe(200);
    console.log(`fuzzed API (${engine}): ${answered} requests over ${routes.length} routes; statuses ${[...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`).join(' ')}`);
  }, 600_000);
});
