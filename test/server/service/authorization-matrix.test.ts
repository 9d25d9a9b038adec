import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceApp } from '../../../server/service/app';
import { pino } from 'pino';
import { GitRunner } from '../../../server/service/git/git-runner';
import { repositoryOf, startTestService, type TestService } from './service-harness';
import { testEngines } from './test-databases';

/** Who calls, in the order of each row's expectations. */
const ROLES = ['anonymous', 'bad token', 'no access', 'read', 'write', 'admin', 'hub admin'] as const;
type Role = (typeof ROLES)[number];

/** The user each signed-in role is (see `fixture`); `sam` is a bystander used as a target. */
const USER_OF: Partial<Record<Role, string>> = {
  'no access': 'nora',
  read: 'reed',
  write: 'wren',
  admin: 'adam',
  'hub admin': 'hank'
};

/** An expected status, or `allowed`: got past authorization (anything but 401, 403, 404). */
type Expected = number | 'allowed';

interface Row {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The route as declared, to prove every route is in the matrix. */
  route: string;
  /** The concrete path; {p} is this case's project, {t} its team, {n} a fresh name, {pw} and {tw} their webhooks. */
  path: string;
  body?: unknown;
  /** The project needs pushed content (a README on main) for the route to have something to show. */
  content?: boolean;
  /** The project's pages are turned on (for its readers). */
  pages?: boolean;
  expect: [Expected, Expected, Expected, Expected, Expected, Expected, Expected];
}

const signedInOnly = (ok: number): Row['expect'] => [401, 401, ok, ok, ok, ok, ok];
const projectLevel = (read: Expected, write: Expected, admin: Expected): Row['expect'] => [401, 401, 404, read, write, admin, admin];
const teamMaintainer = (ok: number): Row['expect'] => [401, 401, 403, 403, 403, ok, ok];

const MATRIX: Row[] = [
  { method: 'GET', route: '/api/v1/user', path: '/api/v1/user', expect: signedInOnly(200) },
  // Only the operator's metrics token opens it (metrics.test.ts); this service has none: closed to all.
  { method: 'GET', route: '/metrics', path: '/metrics', expect: [403, 403, 403, 403, 403, 403, 403] },
  { method: 'GET', route: '/api/v1/projects', path: '/api/v1/projects?scope=all', expect: signedInOnly(200) },
  { method: 'POST', route: '/api/v1/projects', path: '/api/v1/projects', body: { name: '{n}' }, expect: signedInOnly(201) },
  { method: 'POST', route: '/api/v1/projects/heads', path: '/api/v1/projects/heads', body: { projects: ['olive/{p}'] }, expect: signedInOnly(200) },
  { method: 'GET', route: '/api/v1/projects/:owner/:name', path: '/api/v1/projects/olive/{p}', expect: projectLevel(200, 200, 200) },
  { method: 'PATCH', route: '/api/v1/projects/:owner/:name', path: '/api/v1/projects/olive/{p}', body: { description: 'changed' }, expect: projectLevel(403, 403, 200) },
  { method: 'DELETE', route: '/api/v1/projects/:owner/:name', path: '/api/v1/projects/olive/{p}', expect: projectLevel(403, 403, 204) },
  { method: 'GET', route: '/api/v1/projects/:owner/:name/grants', path: '/api/v1/projects/olive/{p}/grants', expect: projectLevel(200, 200, 200) },
  { method: 'PUT', route: '/api/v1/projects/:owner/:name/grants/users/:user', path: '/api/v1/projects/olive/{p}/grants/users/sam', body: { level: 'read' }, expect: projectLevel(403, 403, 200) },
  { method: 'DELETE', route: '/api/v1/projects/:owner/:name/grants/users/:user', path: '/api/v1/projects/olive/{p}/grants/users/sam', expect: projectLevel(403, 403, 204) },
  { method: 'PUT', route: '/api/v1/projects/:owner/:name/grants/teams/:team', path: '/api/v1/projects/olive/{p}/grants/teams/{t}', body: { level: 'write' }, expect: projectLevel(403, 403, 200) },
  { method: 'DELETE', route: '/api/v1/projects/:owner/:name/grants/teams/:team', path: '/api/v1/projects/olive/{p}/grants/teams/{t}', expect: projectLevel(403, 403, 204) },
  { method: 'GET', route: '/api/v1/teams', path: '/api/v1/teams', expect: signedInOnly(200) },
  { method: 'POST', route: '/api/v1/teams', path: '/api/v1/teams', body: { name: '{n}' }, expect: signedInOnly(201) },
  { method: 'GET', route: '/api/v1/teams/:team', path: '/api/v1/teams/{t}', expect: signedInOnly(200) },
  { method: 'PATCH', route: '/api/v1/teams/:team', path: '/api/v1/teams/{t}', body: { description: 'changed' }, expect: teamMaintainer(200) },
  { method: 'DELETE', route: '/api/v1/teams/:team', path: '/api/v1/teams/{t}', expect: teamMaintainer(204) },
  { method: 'PUT', route: '/api/v1/teams/:team/members/:user', path: '/api/v1/teams/{t}/members/nora', body: { role: 'member' }, expect: teamMaintainer(200) },
  { method: 'DELETE', route: '/api/v1/teams/:team/members/:user', path: '/api/v1/teams/{t}/members/sam', expect: teamMaintainer(204) },
  { method: 'GET', route: '/api/v1/projects/:owner/:name/refs', path: '/api/v1/projects/olive/{p}/refs', expect: projectLevel(200, 200, 200) },
  { method: 'GET', route: '/api/v1/projects/:owner/:name/tree/:ref', path: '/api/v1/projects/olive/{p}/tree/main', content: true, expect: projectLevel(200, 200, 200) },
  { method: 'GET', route: '/api/v1/projects/:owner/:name/tree/:ref/*path', path: '/api/v1/projects/olive/{p}/tree/main/README.md', content: true, expect: projectLevel(200, 200, 200) },
  { method: 'GET', route: '/api/v1/projects/:owner/:name/blob/:ref/*path', path: '/api/v1/projects/olive/{p}/blob/main/README.md', content: true, expect: projectLevel(200, 200, 200) },
  { method: 'GET', route: '/api/v1/projects/:owner/:name/log', path: '/api/v1/projects/olive/{p}/log', content: true, expect: projectLevel(200, 200, 200) },
  { method: 'GET', route: '/api/v1/projects/:owner/:name/diff', path: '/api/v1/projects/olive/{p}/diff', content: true, expect: projectLevel(200, 200, 200) },
  { method: 'GET', route: '/pages/:owner/:name', path: '/pages/olive/{p}/', content: true, pages: true, expect: projectLevel(200, 200, 200) },
  { method: 'GET', route: '/pages/:owner/:name/*path', path: '/pages/olive/{p}/README.md', content: true, pages: true, expect: projectLevel(200, 200, 200) },
  { method: 'GET', route: '/api/v1/events', path: '/api/v1/events?limit=5', expect: signedInOnly(200) },
  { method: 'GET', route: '/api/v1/projects/:owner/:name/webhooks', path: '/api/v1/projects/olive/{p}/webhooks', expect: projectLevel(403, 403, 200) },
  { method: 'POST', route: '/api/v1/projects/:owner/:name/webhooks', path: '/api/v1/projects/olive/{p}/webhooks', body: { url: 'https://hooks.example.org/{n}' }, expect: projectLevel(403, 403, 201) },
  { method: 'DELETE', route: '/api/v1/projects/:owner/:name/webhooks/:id', path: '/api/v1/projects/olive/{p}/webhooks/{pw}', expect: projectLevel(403, 403, 204) },
  { method: 'GET', route: '/api/v1/projects/:owner/:name/webhooks/:id/deliveries', path: '/api/v1/projects/olive/{p}/webhooks/{pw}/deliveries', expect: projectLevel(403, 403, 200) },
  { method: 'GET', route: '/api/v1/teams/:team/webhooks', path: '/api/v1/teams/{t}/webhooks', expect: teamMaintainer(200) },
  { method: 'POST', route: '/api/v1/teams/:team/webhooks', path: '/api/v1/teams/{t}/webhooks', body: { url: 'https://hooks.example.org/{n}' }, expect: teamMaintainer(201) },
  { method: 'DELETE', route: '/api/v1/teams/:team/webhooks/:id', path: '/api/v1/teams/{t}/webhooks/{tw}', expect: teamMaintainer(204) },
  { method: 'GET', route: '/api/v1/teams/:team/webhooks/:id/deliveries', path: '/api/v1/teams/{t}/webhooks/{tw}/deliveries', expect: teamMaintainer(200) },
  { method: 'GET', route: '/git/:owner/:repo/info/refs', path: '/git/olive/{p}.git/info/refs?service=git-upload-pack', expect: projectLevel(200, 200, 200) },
  { method: 'GET', route: '/git/:owner/:repo/info/refs', path: '/git/olive/{p}.git/info/refs?service=git-receive-pack', expect: projectLevel(403, 200, 200) },
  { method: 'POST', route: '/git/:owner/:repo/git-upload-pack', path: '/git/olive/{p}.git/git-upload-pack', expect: projectLevel('allowed', 'allowed', 'allowed') },
  { method: 'POST', route: '/git/:owner/:repo/git-receive-pack', path: '/git/olive/{p}.git/git-receive-pack', expect: projectLevel(403, 'allowed', 'allowed') }
];

describe.each(testEngines())('the authorization matrix, on %s', engine => {
  let service: TestService;
  const tokens: Record<string, string> = {};
  let counter = 0;

  beforeAll(async () => {
    service = await startTestService(engine);
    for (const user of ['olive', 'nora', 'reed', 'wren', 'adam', 'sam']) {
      tokens[user] = await service.userWithToken(user);
    }
    tokens.hank = await service.userWithToken('hank', { admin: true });
  }, 60_000);
  afterAll(() => service.close());

  const call = (token: string | undefined, method: string, path: string, body?: unknown) =>
    fetch(`${service.url}${path}`, {
      method,
      headers: {
        ...(token ? { Authorization: `token ${token}` } : {}),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' })
      },
      body: body === undefined ? undefined : JSON.stringify(body)
    });

  /** A fresh project and team owned by olive, with reed reading, wren writing, adam administering. */
  async function fixture(): Promise<{ p: string; t: string; n: string; pw: string; tw: string }> {
    counter += 1;
    const names = { p: `project-${counter}`, t: `team-${counter}`, n: `fresh-${counter}` };
    const owner = tokens.olive;
    const ok = async (response: Promise<Response>) => expect((await response).status).toBeLessThan(300);
    await ok(call(owner, 'POST', '/api/v1/projects', { name: names.p }));
    await ok(call(owner, 'POST', '/api/v1/teams', { name: names.t }));
    for (const [user, level] of [['reed', 'read'], ['wren', 'write'], ['adam', 'admin'], ['sam', 'read']]) {
      await ok(call(owner, 'PUT', `/api/v1/projects/olive/${names.p}/grants/users/${user}`, { level }));
    }
    await ok(call(owner, 'PUT', `/api/v1/projects/olive/${names.p}/grants/teams/${names.t}`, { level: 'read' }));
    for (const [user, role] of [['reed', 'member'], ['wren', 'member'], ['adam', 'maintainer'], ['sam', 'member']]) {
      await ok(call(owner, 'PUT', `/api/v1/teams/${names.t}/members/${user}`, { role }));
    }
    const webhook = async (path: string) => {
      const response = await call(owner, 'POST', path, { url: 'https://hooks.example.org/matrix' });
      expect(response.status).toBe(201);
      return ((await response.json()) as { id: string }).id;
    };
    const pw = await webhook(`/api/v1/projects/olive/${names.p}/webhooks`);
    const tw = await webhook(`/api/v1/teams/${names.t}/webhooks`);
    return { ...names, pw, tw };
  }

  /** Writes one commit with a README straight into a project's bare repository (one git process). */
  async function addContent(project: string) {
    const repository = await repositoryOf(service, project);
    const stream = ['commit refs/heads/main', 'committer Olive <olive@example.org> 1700000000 +0000', 'data 5', 'first', 'M 644 inline README.md', 'data 7', '# Hello', ''].join('\n');
    execFileSync('git', ['--git-dir', repository, 'fast-import', '--quiet'], { input: stream });
  }

  it('covers every route the service declares', () => {
    const { routes } = createServiceApp({
      data: service.data,
      git: new GitRunner(service.dataDir),
      identity: { resolve: async () => undefined },
      logger: pino({ enabled: false })
    });
    const declared = routes.routes.filter(route => route.access !== 'public').map(r => `${r.method.toUpperCase()} ${r.path}`);
    const covered = new Set(MATRIX.map(row => `${row.method} ${row.route}`));
    expect(declared.filter(route => !covered.has(route))).toEqual([]);
  });

  const cases = MATRIX.flatMap(row => ROLES.map((role, index) => ({ row, role, expected: row.expect[index] })));
  it.each(cases.map(c => [`${c.row.method} ${c.row.path} as ${c.role} → ${c.expected}`, c] as const))('%s', async (_label, { row, role, expected }) => {
    const names = await fixture();
    if (row.content) {
      await addContent(names.p);
    }
    if (row.pages) {
      expect((await call(tokens.olive, 'PATCH', `/api/v1/projects/olive/${names.p}`, { pages: 'project' })).status).toBe(200);
    }
    const fill = (text: string) =>
      text.replace('{p}', names.p).replace('{t}', names.t).replace('{n}', names.n).replace('{pw}', names.pw).replace('{tw}', names.tw);
    const body = row.body === undefined ? undefined : JSON.parse(fill(JSON.stringify(row.body)));
    const token = role === 'anonymous' ? undefined : role === 'bad token' ? 'hs_forged-token' : tokens[USER_OF[role] ?? ''];
    const response = await call(token, row.method, fill(row.path), body);
    if (expected === 'allowed') {
      expect([401, 403, 404]).not.toContain(response.status);
    } else {
      expect(response.status).toBe(expected);
    }
  });
});
