// Listing at hub scale: a user's shared list and a hub admin's full list (first page of 50, and a
// page deep in the list) at 2,000 and at 20,000 projects, on SQLite and on PostgreSQL (when the
// test cluster runs: `source scripts/test-postgres.sh`). The 2,000 figures are the baseline: the
// summary's ratio is the growth factor (goal: at most 2 for ten times the projects).
import { sql } from 'kysely';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import type { Engine } from '../server/service/storage/open-store';
import { sized } from './bench-scale';
import { inBatches } from '../test/server/service/in-batches';
import { callApi, startTestService, type TestService } from '../test/server/service/service-harness';

/** Users, teams and grants in the proportions of a large hub: 20,000 projects, 10,000 users, 1,000 teams, 100,000 grants. */
function sizes(projects: number) {
  return { projects, users: projects / 2, teams: projects / 20, userGrants: projects * 4, teamGrants: projects };
}

async function seed(service: TestService, projects: number): Promise<{ user: string; admin: string }> {
  const size = sizes(projects);
  const db = service.data.db;
  const now = new Date().toISOString();
  const id = (prefix: number, index: number) => (prefix * 1e9 + index).toString(16).padStart(24, '0');
  const users = Array.from({ length: size.users }, (_, index) => ({ id: id(1, index), name: `user-${index}`, is_admin: 0, created_at: now }));
  await inBatches(users, batch => db.insertInto('users').values(batch).execute());
  const projectRows = Array.from({ length: size.projects }, (_, index) => ({
    id: id(2, index),
    owner_id: users[(index * 7) % users.length].id,
    name: `project-${index}`,
    description: '',
    visibility: index % 10 === 0 ? ('hub' as const) : ('private' as const),
    created_at: now,
    updated_at: now
  }));
  await inBatches(projectRows, batch => db.insertInto('projects').values(batch).execute());
  const teams = Array.from({ length: size.teams }, (_, index) => ({ id: id(3, index), name: `team-${index}`, description: '', source: 'hubshare' as const, created_at: now }));
  await inBatches(teams, batch => db.insertInto('teams').values(batch).execute());
  const members = teams.flatMap((team, index) => Array.from({ length: 10 }, (_, n) => ({ team_id: team.id, user_id: users[(index * 10 + n) % users.length].id, role: 'member' as const, created_at: now })));
  await inBatches(members, batch => db.insertInto('team_members').values(batch).onConflict(c => c.doNothing()).execute());
  const grants = new Map<string, { project_id: string; user_id: string; level: 'read' | 'write'; created_at: string }>();
  for (let index = 0; grants.size < size.userGrants; index++) {
    const project = projectRows[(index * 13) % projectRows.length];
    const user = users[(index * 31 + Math.floor(index / projectRows.length)) % users.length];
    grants.set(`${project.id}${user.id}`, { project_id: project.id, user_id: user.id, level: index % 3 === 0 ? 'write' : 'read', created_at: now });
  }
  await inBatches([...grants.values()], batch => db.insertInto('user_grants').values(batch).onConflict(c => c.doNothing()).execute());
  const teamGrants = projectRows.map((project, index) => ({ project_id: project.id, team_id: teams[(index * 17) % teams.length].id, level: 'read' as const, created_at: now }));
  await inBatches(teamGrants, batch => db.insertInto('team_grants').values(batch).execute());
  if (service.engine === 'postgres') {
    // Statistics as autovacuum keeps them on a hub that grew to this size: fresh from a bulk
    // load, PostgreSQL plans without them.
    await sql`ANALYZE`.execute(db);
  }
  return { user: await service.userWithToken('reader'), admin: await service.userWithToken('root', { admin: true }) };
}

const engines: Engine[] = process.env.HUBSHARE_TEST_POSTGRES_URL ? ['sqlite', 'postgres'] : ['sqlite'];
if (engines.length === 1) {
  console.log('bench/project-listing: HUBSHARE_TEST_POSTGRES_URL is not set, so SQLite only (source scripts/test-postgres.sh for both).');
}

const [BASE, LARGE] = sized([2_000, 20_000], [200, 2_000]);
const count = (projects: number) => projects.toLocaleString('en');

for (const engine of engines) {
  const hubs: Record<number, { service: TestService; tokens: { user: string; admin: string } }> = {};
  beforeAll(async () => {
    for (const projects of [BASE, LARGE]) {
      const service = await startTestService(engine);
      hubs[projects] = { service, tokens: await seed(service, projects) };
    }
  }, 600_000);
  afterAll(async () => {
    for (const hub of Object.values(hubs)) {
      await hub.service.close();
    }
  });
  const list = async (projects: number, who: 'user' | 'admin', query: string) => {
    const answer = await callApi(hubs[projects].service, hubs[projects].tokens[who], 'GET', `/projects?${query}`);
    if (answer.status !== 200) {
      throw new Error(`listing answered ${answer.status}`);
    }
    await answer.arrayBuffer();
  };
  for (const [label, who, query] of [
    ["a user's shared list, first page of 50", 'user', 'scope=shared&limit=50'],
    ["a hub admin's list, first page of 50", 'admin', 'scope=all&limit=50'],
    ["a hub admin's list filtered by name (q)", 'admin', 'scope=all&limit=50&q=project-19']
  ] as const) {
    describe(`${engine}: ${label}`, () => {
      const runs = { iterations: sized(60, 5), time: 0, warmupIterations: sized(5, 1) };
      bench(`at ${count(BASE)} projects (baseline)`, () => list(BASE, who, query), runs);
      bench(`at ${count(LARGE)} projects`, () => list(LARGE, who, query), runs);
    });
  }
}
