import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from './service-harness';
import { testEngines } from './test-databases';

/** Every row of every table, and every file under the repositories, as one comparable value. */
async function snapshot(service: TestService): Promise<string> {
  const db = service.data.db;
  const tables = {
    users: await db.selectFrom('users').selectAll().orderBy('id').execute(),
    api_tokens: await db.selectFrom('api_tokens').select(['id', 'user_id', 'token_hash', 'note', 'created_at']).orderBy('id').execute(),
    projects: await db.selectFrom('projects').selectAll().orderBy('id').execute(),
    teams: await db.selectFrom('teams').selectAll().orderBy('id').execute(),
    team_members: await db.selectFrom('team_members').selectAll().orderBy('team_id').orderBy('user_id').execute(),
    user_grants: await db.selectFrom('user_grants').selectAll().orderBy('project_id').orderBy('user_id').execute(),
    team_grants: await db.selectFrom('team_grants').selectAll().orderBy('project_id').orderBy('team_id').execute(),
    events: await db.selectFrom('events').selectAll().orderBy('seq').execute(),
    webhooks: await db.selectFrom('webhooks').selectAll().orderBy('id').execute(),
    webhook_deliveries: await db.selectFrom('webhook_deliveries').selectAll().orderBy('id').execute()
  };
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        walk(path);
      } else {
        files.push(`${relative(service.data.repositoriesDir, path)} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`);
      }
    }
  };
  walk(service.data.repositoriesDir);
  return JSON.stringify({ tables, files });
}

interface BadRequestCase {
  what: string;
  method: string;
  path: string;
  body?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

const LONG = 'a'.repeat(200);
const json = (value: unknown) => JSON.stringify(value);

const CASES: BadRequestCase[] = [
  ...['../x', '..', '%2e%2e', '/etc/passwd', 'a\u0000b', 'a\nb', LONG, 'Upper', 'api', 'x.git', '.hidden', 'with space', ''].map(name => ({
    what: `project name ${JSON.stringify(name)}`,
    method: 'POST',
    path: '/api/v1/projects',
    body: json({ name })
  })),
  ...[123, null, ['a'], { nested: true }, true].map(name => ({
    what: `project name of type ${Array.isArray(name) ? 'array' : typeof name}`,
    method: 'POST',
    path: '/api/v1/projects',
    body: json({ name })
  })),
  { what: 'unknown visibility', method: 'POST', path: '/api/v1/projects', body: json({ name: 'ok-name', visibility: 'public' }) },
  { what: 'description with a control character', method: 'POST', path: '/api/v1/projects', body: json({ name: 'ok-name', description: 'bell\u0007' }) },
  { what: 'over-long description', method: 'POST', path: '/api/v1/projects', body: json({ name: 'ok-name', description: 'd'.repeat(5000) }) },
  { what: 'unknown field', method: 'POST', path: '/api/v1/projects', body: json({ name: 'ok-name', owner: 'root' }) },
  { what: 'a JSON array body', method: 'POST', path: '/api/v1/projects', body: json(['ok-name']) },
  { what: 'a JSON string body', method: 'POST', path: '/api/v1/projects', body: json('ok-name') },
  { what: 'malformed JSON', method: 'POST', path: '/api/v1/projects', body: '{"name": ' },
  { what: 'a huge body', method: 'POST', path: '/api/v1/projects', body: json({ name: 'ok-name', description: 'x'.repeat(3 * 1024 * 1024) }) },
  { what: 'a rename into traversal', method: 'PATCH', path: '/api/v1/projects/alice/demo', body: json({ name: '../../escape' }) },
  { what: 'a rename to a number', method: 'PATCH', path: '/api/v1/projects/alice/demo', body: json({ name: 7 }) },
  { what: 'an unknown level', method: 'PUT', path: '/api/v1/projects/alice/demo/grants/users/bob', body: json({ level: 'owner' }) },
  { what: 'a level of the wrong type', method: 'PUT', path: '/api/v1/projects/alice/demo/grants/users/bob', body: json({ level: 3 }) },
  { what: 'a missing level', method: 'PUT', path: '/api/v1/projects/alice/demo/grants/users/bob', body: json({}) },
  { what: 'a grant to a traversal user', method: 'PUT', path: '/api/v1/projects/alice/demo/grants/users/..%2F..%2Fetc', body: json({ level: 'read' }) },
  { what: 'a grant to a NUL user', method: 'PUT', path: '/api/v1/projects/alice/demo/grants/users/bob%00', body: json({ level: 'read' }) },
  { what: 'a grant to a missing team', method: 'PUT', path: '/api/v1/projects/alice/demo/grants/teams/nobody', body: json({ level: 'read' }) },
  { what: 'a project path with traversal', method: 'GET', path: '/api/v1/projects/alice/..%2F..%2Fetc' },
  { what: 'an owner with traversal', method: 'DELETE', path: '/api/v1/projects/..%2Falice/demo' },
  { what: 'an unknown scope', method: 'GET', path: '/api/v1/projects?scope=everything' },
  { what: 'a listing limit too large', method: 'GET', path: '/api/v1/projects?limit=100000' },
  { what: 'a listing cursor that is not one', method: 'GET', path: '/api/v1/projects?cursor=..%2F..' },
  { what: 'heads of something that is not a list', method: 'POST', path: '/api/v1/projects/heads', body: json({ projects: 'alice/demo' }) },
  { what: 'heads of a project path with traversal', method: 'POST', path: '/api/v1/projects/heads', body: json({ projects: ['alice/../../etc'] }) },
  { what: 'heads of too many projects', method: 'POST', path: '/api/v1/projects/heads', body: json({ projects: Array.from({ length: 1001 }, (_, i) => `alice/p${i}`) }) },
  { what: 'a team name with traversal', method: 'POST', path: '/api/v1/teams', body: json({ name: '../team' }) },
  { what: 'an unknown team role', method: 'PUT', path: '/api/v1/teams/crew/members/bob', body: json({ role: 'boss' }) },
  { what: 'a member that does not exist', method: 'PUT', path: '/api/v1/teams/crew/members/nobody', body: json({}) },
  { what: 'an event cursor that is not one', method: 'GET', path: '/api/v1/events?since=..%2F1' },
  { what: 'an event cursor given twice', method: 'GET', path: '/api/v1/events?since=1&since=2' },
  { what: 'an event limit too large', method: 'GET', path: '/api/v1/events?limit=100000' },
  ...[
    'http://hooks.example.org/x',
    'http://127.0.0.1:9/loopback-not-allowed-here',
    'https://localhost/x',
    'https://user:secret@hooks.example.org/x',
    'javascript:alert(1)',
    'not a url',
    `https://hooks.example.org/${'a'.repeat(3000)}`
  ].map(url => ({ what: `the webhook URL ${JSON.stringify(url.slice(0, 60))}`, method: 'POST', path: '/api/v1/projects/alice/demo/webhooks', body: json({ url }) })),
  { what: 'a webhook URL of the wrong type', method: 'POST', path: '/api/v1/projects/alice/demo/webhooks', body: json({ url: ['https://hooks.example.org'] }) },
  { what: 'a webhook with an unknown field', method: 'POST', path: '/api/v1/projects/alice/demo/webhooks', body: json({ url: 'https://hooks.example.org/x', secret: 'mine' }) },
  { what: 'a team webhook to plain http', method: 'POST', path: '/api/v1/teams/crew/webhooks', body: json({ url: 'http://hooks.example.org/x' }) },
  { what: 'a webhook id with traversal', method: 'DELETE', path: '/api/v1/projects/alice/demo/webhooks/..%2F..%2Fetc' },
  { what: 'a webhook id that does not exist', method: 'GET', path: '/api/v1/projects/alice/demo/webhooks/0123456789abcdef01234567/deliveries' },
  { what: 'a git path with traversal', method: 'GET', path: '/git/alice/..%2F..%2Fetc.git/info/refs?service=git-upload-pack' },
  { what: 'a git path without .git', method: 'GET', path: '/git/alice/demo/info/refs?service=git-upload-pack' },
  { what: 'the dumb git protocol', method: 'GET', path: '/git/alice/demo.git/info/refs' },
  { what: 'an unknown git service', method: 'GET', path: '/git/alice/demo.git/info/refs?service=git-upload-archive' },
  { what: 'an option smuggled as git service', method: 'GET', path: '/git/alice/demo.git/info/refs?service=--upload-pack%3Dtouch%20%2Ftmp%2Fpwned' },
  ...['/api/v1/projects/alice/%ff', '/api/v1/projects/%/demo', '/api/v1/teams/%zz', '/api/v1/projects/alice/demo/tree/main/a%ffb', '/api/v1/projects/alice/demo/blob/%e2%82/x'].map(
    path => ({ what: `malformed percent-encoding in ${path}`, method: 'GET', path })
  ),
  { what: 'malformed percent-encoding in a grant', method: 'PUT', path: '/api/v1/projects/alice/demo/grants/users/bob%ff', body: json({ level: 'admin' }) },
  { what: 'an absolute git path', method: 'GET', path: '/git//etc/passwd.git/info/refs?service=git-upload-pack' },
  // Found by the fuzzed API: a body that says it is compressed and is not threw zlib's error (500).
  ...['gzip', 'deflate', 'br', 'x-unknown'].map(encoding => ({
    what: `a JSON body that says it is ${encoding} and is not`,
    method: 'POST',
    path: '/api/v1/projects',
    body: json({ name: 'ok-name' }),
    headers: { 'Content-Encoding': encoding }
  })),
  { what: 'a heads request whose gzip body is cut short', method: 'POST', path: '/api/v1/projects/heads', body: gzipSync(json({ projects: ['alice/demo'] })).subarray(0, 12), headers: { 'Content-Encoding': 'gzip' } },
  { what: 'a gzip bomb (3 MB of JSON in a few kB)', method: 'POST', path: '/api/v1/projects', body: gzipSync(json({ name: 'ok-name', description: ' '.repeat(3 * 1024 * 1024) })), headers: { 'Content-Encoding': 'gzip' } }
];

describe.each(testEngines())('bad input, on %s', engine => {
  let service: TestService;
  let token: string;
  let before: string;

  beforeAll(async () => {
    service = await startTestService(engine);
    token = await service.userWithToken('alice');
    await service.userWithToken('bob');
    const create = (path: string, body: unknown) =>
      fetch(`${service.url}${path}`, {
        method: path.includes('members') || path.includes('grants') ? 'PUT' : 'POST',
        headers: { Authorization: `token ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body)
      });
    expect((await create('/api/v1/projects', { name: 'demo' })).status).toBe(201);
    expect((await create('/api/v1/teams', { name: 'crew' })).status).toBe(201);
    expect((await create('/api/v1/projects/alice/demo/grants/users/bob', { level: 'read' })).status).toBe(200);
    expect((await create('/api/v1/projects/alice/demo/webhooks', { url: 'https://hooks.example.org/demo' })).status).toBe(201);
    expect((await create('/api/v1/projects/alice/demo/grants/users/bob', { level: 'write' })).status).toBe(200);
    before = await snapshot(service);
  });
  afterAll(() => service.close());

  it.each(CASES.map(c => [c.what, c] as const))('%s gets a clear 4xx and changes nothing', async (_what, c) => {
    const response = await fetch(`${service.url}${c.path}`, {
      method: c.method,
      headers: { Authorization: `token ${token}`, 'Content-Type': c.contentType ?? 'application/json', ...c.headers },
      body: c.body
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
    expect(typeof body.error?.code).toBe('string');
    expect(typeof body.error?.message).toBe('string');
    expect(await snapshot(service)).toBe(before);
  });

  // Found by the fuzzed API: a PATCH that names no field built `UPDATE teams SET WHERE …` (500).
  it.each([
    ['no body', undefined],
    ['an empty object', '{}']
  ])('a team PATCH with %s answers the team unchanged', async (_what, body) => {
    const response = await fetch(`${service.url}/api/v1/teams/crew`, {
      method: 'PATCH',
      headers: { Authorization: `token ${token}`, 'Content-Type': 'application/json' },
      body
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { name?: unknown }).name).toBe('crew');
    expect(await snapshot(service)).toBe(before);
  });
});
