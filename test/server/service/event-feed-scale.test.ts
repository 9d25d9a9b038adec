// The feed decides who sees an event for a whole batch of stored events at once (the projects
// and teams they name, a few queries in all). This holds it to the rules over more projects and
// teams than one batch holds: a reader sees exactly the events of what they may read now, by
// every source of access, and of what was deleted while they could read it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inBatches } from './in-batches';
import { startTestService, type TestService, callApi } from './service-harness';
import { testEngines } from './test-databases';

const PROJECTS = 600;
const TEAMS = 40;

describe.each(testEngines())('the event feed over many projects and teams, on %s', engine => {
  let service: TestService;
  let token = '';
  const expected: number[] = [];

  beforeAll(async () => {
    service = await startTestService(engine);
    token = await service.userWithToken('bob');
    await service.userWithToken('alice');
    const db = service.data.db;
    const ids = Object.fromEntries((await db.selectFrom('users').select(['id', 'name']).execute()).map(user => [user.name, user.id]));
    const now = new Date().toISOString();
    const id = (prefix: number, index: number) => (prefix * 1e9 + index).toString(16).padStart(24, '0');
    // Teams: bob is in every third of HubShare's own; every fifth mirrors a hub group (a standalone
    // service knows no hub groups: nobody is in those).
    const teams = Array.from({ length: TEAMS }, (_, index) => ({
      id: id(3, index),
      name: `team-${index}`,
      description: '',
      source: index % 5 === 0 ? ('hub' as const) : ('hubshare' as const),
      created_at: now
    }));
    await db.insertInto('teams').values(teams).execute();
    const bobsTeams = new Set(teams.filter((team, index) => team.source === 'hubshare' && index % 3 === 0).map(team => team.id));
    const memberships = teams.filter((team, index) => team.source === 'hubshare' && index % 3 === 0).map(team => ({ team_id: team.id, user_id: ids.bob, role: 'member' as const, created_at: now }));
    await db.insertInto('team_members').values(memberships).execute();
    const projects = Array.from({ length: PROJECTS }, (_, index) => ({
      id: id(2, index),
      owner_id: index % 17 === 0 ? ids.bob : ids.alice,
      name: `project-${index}`,
      description: '',
      visibility: index % 7 === 0 ? ('hub' as const) : ('private' as const),
      created_at: now,
      updated_at: now
    }));
    await inBatches(projects, batch => db.insertInto('projects').values(batch).execute(), 200);
    const grants = projects.filter((_, index) => index % 5 === 0).map(project => ({ project_id: project.id, user_id: ids.bob, level: 'read' as const, created_at: now }));
    await db.insertInto('user_grants').values(grants).execute();
    const teamGrants = projects.filter((_, index) => index % 3 === 0).map((project, n) => ({ project_id: project.id, team_id: teams[n % TEAMS].id, level: 'read' as const, created_at: now }));
    await db.insertInto('team_grants').values(teamGrants).execute();
    const readable = new Set(
      projects
        .filter((project, index) => project.owner_id === ids.bob || project.visibility === 'hub' || index % 5 === 0 || teamGrants.some(grant => grant.project_id === project.id && bobsTeams.has(grant.team_id)))
        .map(project => project.id)
    );
    // Events in a mixed order: pushes to every project, team events, and projects and teams
    // deleted (never in the tables any more), half of them while bob could see them.
    type Row = { type: string; project_id: string | null; team_id: string | null; audience: string | null; visible: boolean };
    const rows: Row[] = [];
    for (let index = 0; index < PROJECTS; index++) {
      rows.push({ type: 'push', project_id: projects[(index * 7) % PROJECTS].id, team_id: null, audience: null, visible: readable.has(projects[(index * 7) % PROJECTS].id) });
      if (index % 15 === 0) {
        const team = teams[index % TEAMS];
        rows.push({ type: 'member.changed', project_id: null, team_id: team.id, audience: null, visible: bobsTeams.has(team.id) });
      }
      if (index % 20 === 0) {
        const gone = id(4, index);
        const audience = { users: index % 40 === 0 ? [ids.bob] : [], everyone: index % 60 === 0 };
        rows.push({ type: 'push', project_id: gone, team_id: null, audience: null, visible: audience.users.length > 0 || audience.everyone });
        rows.push({ type: 'project.deleted', project_id: gone, team_id: null, audience: JSON.stringify(audience), visible: audience.users.length > 0 || audience.everyone });
        const goneTeam = id(5, index);
        rows.push({ type: 'team.deleted', project_id: null, team_id: goneTeam, audience: JSON.stringify({ users: index % 40 === 0 ? [ids.bob] : [], everyone: false }), visible: index % 40 === 0 });
      }
    }
    for (const row of rows) {
      const { seq } = await db
        .insertInto('events')
        .values({ type: row.type, created_at: now, actor: 'alice', project_id: row.project_id, team_id: row.team_id, subject_user_id: null, audience: row.audience, data: '{}' })
        .returning('seq')
        .executeTakeFirstOrThrow();
      if (row.visible) {
        expected.push(seq);
      }
    }
  }, 120_000);
  afterAll(() => service.close());

  it('shows a reader exactly the events of what they may read, page after page', async () => {
    const seen: number[] = [];
    let since = '0';
    for (let request = 0; request < 50; request++) {
      const response = await callApi(service, token, 'GET', `/events?since=${since}&limit=97`);
      expect(response.status).toBe(200);
      const page = (await response.json()) as { events: { id: string }[]; next: string; more: boolean };
      seen.push(...page.events.map(event => Number(event.id)));
      since = page.next;
      if (!page.more) {
        break;
      }
    }
    expect(expected.length).toBeGreaterThan(200);
    expect(seen).toEqual(expected);
  });
});
