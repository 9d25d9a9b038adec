import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Level } from '../../../server/service/domain/levels';
import { listReadable, type ListingCaller } from '../../../server/service/storage/project-listing';
import { inBatches } from './in-batches';
import { callApi, startTestService, type TestService } from './service-harness';
import { testEngines } from './test-databases';

/** A small random generator with a seed, so a failure can be run again as it was. */
function generator(seed: number) {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  return { chance: (p: number) => next() < p, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] };
}

const LEVELS: Level[] = ['read', 'write', 'admin'];
const RANK: Record<Level, number> = { read: 1, write: 2, admin: 3 };

interface World {
  users: { id: string; name: string }[];
  projects: { id: string; owner: string; name: string; visibility: 'private' | 'hub' }[];
  teams: { id: string; name: string; source: 'hubshare' | 'hub'; members: Set<string> }[];
  userGrants: { project: string; user: string; level: Level }[];
  teamGrants: { project: string; team: string; level: Level }[];
}

/** Seeds users, projects, teams, memberships and grants straight into the store, at random. */
async function seed(service: TestService, seedNumber: number, sizes: { users: number; projects: number; teams: number }): Promise<World> {
  const random = generator(seedNumber);
  const db = service.data.db;
  const now = new Date().toISOString();
  const world: World = { users: [], projects: [], teams: [], userGrants: [], teamGrants: [] };
  for (let index = 0; index < sizes.users; index++) {
    world.users.push({ id: `u${index}`, name: `user-${String(index).padStart(3, '0')}` });
  }
  await db.insertInto('users').values(world.users.map(user => ({ ...user, is_admin: 0, created_at: now }))).execute();
  for (let index = 0; index < sizes.projects; index++) {
    // Ids as the service makes them (24 hex digits).
    world.projects.push({ id: index.toString(16).padStart(24, '0'), owner: random.pick(world.users).id, name: `project-${index % 37}-${index}`, visibility: random.chance(0.15) ? 'hub' : 'private' });
  }
  await inBatches(
    world.projects.map(project => ({ id: project.id, owner_id: project.owner, name: project.name, description: '', visibility: project.visibility, created_at: now, updated_at: now })),
    rows => db.insertInto('projects').values(rows).execute(),
    200
  );
  for (let index = 0; index < sizes.teams; index++) {
    const members = new Set(world.users.filter(() => random.chance(0.1)).map(user => user.id));
    world.teams.push({ id: `t${index}`, name: `team-${index}`, source: index % 4 === 0 ? 'hub' : 'hubshare', members });
  }
  await db.insertInto('teams').values(world.teams.map(team => ({ id: team.id, name: team.name, description: '', source: team.source, created_at: now }))).execute();
  const members = world.teams.flatMap(team => [...team.members].map(user => ({ team_id: team.id, user_id: user, role: 'member' as const, created_at: now })));
  await inBatches(members, batch => db.insertInto('team_members').values(batch).execute(), 200);
  for (const project of world.projects) {
    for (const user of world.users.filter(() => random.chance(0.03))) {
      world.userGrants.push({ project: project.id, user: user.id, level: random.pick(LEVELS) });
    }
    for (const team of world.teams.filter(() => random.chance(0.02))) {
      world.teamGrants.push({ project: project.id, team: team.id, level: random.pick(LEVELS) });
    }
  }
  await inBatches(
    world.userGrants.map(grant => ({ project_id: grant.project, user_id: grant.user, level: grant.level, created_at: now })),
    batch => db.insertInto('user_grants').values(batch).execute(),
    200
  );
  await inBatches(
    world.teamGrants.map(grant => ({ project_id: grant.project, team_id: grant.team, level: grant.level, created_at: now })),
    batch => db.insertInto('team_grants').values(batch).execute(),
    200
  );
  return world;
}

/** What the caller may read, worked out here from the seeded rows alone (the oracle). */
function expected(world: World, caller: ListingCaller, scope: 'mine' | 'shared' | 'all'): string[] {
  const userName = new Map(world.users.map(user => [user.id, user.name]));
  const rows: { key: string; owner: string; name: string }[] = [];
  for (const project of world.projects) {
    let rank = caller.admin || project.owner === caller.id ? 3 : project.visibility === 'hub' ? 1 : 0;
    for (const grant of world.userGrants.filter(g => g.project === project.id && g.user === caller.id)) {
      rank = Math.max(rank, RANK[grant.level]);
    }
    for (const grant of world.teamGrants.filter(g => g.project === project.id)) {
      const team = world.teams.find(t => t.id === grant.team);
      if (team && (team.members.has(caller.id) || (team.source === 'hub' && caller.hubGroups.includes(team.name)))) {
        rank = Math.max(rank, RANK[grant.level]);
      }
    }
    const mine = project.owner === caller.id;
    if (rank > 0 && !(scope === 'mine' && !mine) && !(scope === 'shared' && mine)) {
      const owner = userName.get(project.owner) ?? '';
      rows.push({ key: `${owner}/${project.name}:${LEVELS[rank - 1]}`, owner, name: project.name });
    }
  }
  return rows.sort((a, b) => (a.owner === b.owner ? (a.name < b.name ? -1 : 1) : a.owner < b.owner ? -1 : 1)).map(row => row.key);
}

describe.each(testEngines())('listing projects in one query, on %s', engine => {
  let service: TestService;
  let world: World;

  beforeAll(async () => {
    service = await startTestService(engine);
    world = await seed(service, 20261203, { users: 60, projects: 1200, teams: 24 });
  }, 120_000);
  afterAll(() => service?.close());

  it('gives each caller exactly the projects they may read, at the level they hold, for every scope', async () => {
    const hubTeams = world.teams.filter(team => team.source === 'hub').map(team => team.name);
    const callers: ListingCaller[] = [
      ...world.users.slice(0, 12).map(user => ({ id: user.id, admin: false, hubGroups: [] })),
      { id: world.users[20].id, admin: false, hubGroups: hubTeams.slice(0, 2) },
      { id: world.users[21].id, admin: false, hubGroups: [...hubTeams, 'not-a-team'] },
      { id: world.users[22].id, admin: true, hubGroups: [] }
    ];
    for (const caller of callers) {
      for (const scope of ['mine', 'shared', 'all'] as const) {
        const listed = await listReadable(service.data.db, caller, { scope });
        expect(listed.map(row => `${row.owner_name}/${row.name}:${row.level}`), `${caller.id} ${scope}`).toEqual(expected(world, caller, scope));
      }
    }
  });

  it('pages each caller\'s list to exactly the whole, at the levels it holds (granted and open-to-the-hub projects listed apart and merged)', async () => {
    const hubTeams = world.teams.filter(team => team.source === 'hub').map(team => team.name);
    const callers: ListingCaller[] = [
      ...world.users.slice(0, 4).map(user => ({ id: user.id, admin: false, hubGroups: [] })),
      { id: world.users[21].id, admin: false, hubGroups: hubTeams }
    ];
    for (const caller of callers) {
      for (const [scope, limit, q] of [['shared', 7, undefined], ['all', 50, undefined], ['all', 3, '-3']] as const) {
        const pages: string[] = [];
        let after: { owner: string; name: string } | undefined;
        for (;;) {
          const rows = await listReadable(service.data.db, caller, { scope, limit, q, after });
          expect(rows.length).toBeLessThanOrEqual(limit);
          pages.push(...rows.map(row => `${row.owner_name}/${row.name}:${row.level}`));
          if (rows.length < limit) {
            break;
          }
          after = { owner: rows[rows.length - 1].owner_name, name: rows[rows.length - 1].name };
        }
        const whole = expected(world, caller, scope).filter(key => q === undefined || key.split(':')[0].includes(q));
        expect(pages, `${caller.id} ${scope} by ${limit}${q ? ` q=${q}` : ''}`).toEqual(whole);
      }
    }
  });

  it('pages by cursor without repeating or skipping a project while others are created and deleted between pages', async () => {
    const token = await service.userWithToken('paging', { admin: true });
    const seen: string[] = [];
    let cursor: string | null = null;
    let page = 0;
    const before = expected(world, { id: 'nobody', admin: true, hubGroups: [] }, 'all').map(key => key.split(':')[0]);
    const deleted: string[] = [];
    do {
      const query = `/projects?scope=all&limit=97${cursor ? `&cursor=${cursor}` : ''}`;
      const answer = (await (await callApi(service, token, 'GET', query)).json()) as { projects: { owner: string; name: string }[]; next: string | null };
      expect(answer.projects.length).toBeLessThanOrEqual(97);
      seen.push(...answer.projects.map(project => `${project.owner}/${project.name}`));
      cursor = answer.next;
      // Between pages: one project made (it sorts first: it may or may not show), one of the seeded ones deleted.
      expect((await callApi(service, token, 'POST', '/projects', { name: `aaa-new-${page}` })).status).toBe(201);
      const ahead = before.filter(key => !seen.includes(key) && !deleted.includes(key));
      const doomed = ahead[Math.floor(ahead.length / 2)];
      if (doomed) {
        expect((await callApi(service, token, 'DELETE', `/projects/${doomed}`)).status).toBe(204);
        deleted.push(doomed);
      }
      page += 1;
    } while (cursor !== null);
    expect(page).toBeGreaterThan(10);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter(key => deleted.includes(key))).toEqual([]);
    expect(before.filter(key => !deleted.includes(key) && !seen.includes(key))).toEqual([]);
    expect(seen).toEqual([...seen].sort((a, b) => (a.split('/')[0] === b.split('/')[0] ? (a < b ? -1 : 1) : a.split('/')[0] < b.split('/')[0] ? -1 : 1)));
  });

  it('filters by a part of the name or the owner on the server, LIKE characters taken literally', async () => {
    const token = await service.userWithToken('finder', { admin: true });
    const find = async (q: string) =>
      ((await (await callApi(service, token, 'GET', `/projects?q=${encodeURIComponent(q)}`)).json()) as { projects: { owner: string; name: string }[] }).projects.map(
        project => `${project.owner}/${project.name}`
      );
    const all = expected(world, { id: 'nobody', admin: true, hubGroups: [] }, 'all').map(key => key.split(':')[0]);
    expect(await find('-36-')).toEqual(all.filter(key => key.split('/')[1].includes('-36-')));
    expect(await find('USER-007')).toEqual(all.filter(key => key.startsWith('user-007/')));
    expect(await find('%')).toEqual([]);
    expect(await find('_')).toEqual([]);
  });

  it('refuses a limit, cursor or q it cannot use, in words', async () => {
    const token = await service.userWithToken('careless');
    for (const [query, code] of [
      ['limit=0', 'invalid_limit'],
      ['limit=501', 'invalid_limit'],
      ['limit=ten', 'invalid_limit'],
      ['cursor=not-a-cursor', 'invalid_cursor'],
      [`cursor=${Buffer.from('{"a":1}').toString('base64url')}`, 'invalid_cursor'],
      [`q=${'x'.repeat(101)}`, 'invalid_query']
    ]) {
      const answer = await callApi(service, token, 'GET', `/projects?${query}`);
      expect(answer.status, query).toBe(400);
      expect(((await answer.json()) as { error: { code: string } }).error.code).toBe(code);
    }
  });
});
