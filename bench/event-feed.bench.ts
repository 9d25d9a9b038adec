// The event feed for a user who may see a tenth of a hub's projects: one read of 2,000 stored
// events (the most one request looks at) whose projects are all different, against the baseline
// of 2,000 events of 20 projects. Who may see an event is decided per project, so the first
// shows what deciding costs per project (goal: a few queries per batch, not per project).
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { sized } from './bench-scale';
import { inBatches } from '../test/server/service/in-batches';
import { callApi, startTestService, type TestService } from '../test/server/service/service-harness';

const EVENTS = sized(2_000, 400);
const hubs: Record<string, { service: TestService; token: string }> = {};

async function seed(service: TestService, projects: number): Promise<string> {
  const db = service.data.db;
  const now = new Date().toISOString();
  const id = (prefix: number, index: number) => (prefix * 1e9 + index).toString(16).padStart(24, '0');
  const owner = { id: id(1, 0), name: 'owner', is_admin: 0, created_at: now };
  await db.insertInto('users').values(owner).execute();
  const rows = Array.from({ length: projects }, (_, index) => ({
    id: id(2, index),
    owner_id: owner.id,
    name: `project-${index}`,
    description: '',
    visibility: index % 10 === 0 ? ('hub' as const) : ('private' as const),
    created_at: now,
    updated_at: now
  }));
  await inBatches(rows, batch => db.insertInto('projects').values(batch).execute());
  const events = Array.from({ length: EVENTS }, (_, index) => ({
    type: 'push',
    created_at: now,
    actor: 'owner',
    project_id: rows[index % projects].id,
    team_id: null,
    subject_user_id: null,
    audience: null,
    data: JSON.stringify({ ref: 'refs/heads/main', before: null, after: '0'.repeat(40) })
  }));
  await inBatches(events, batch => db.insertInto('events').values(batch).execute());
  return service.userWithToken('reader');
}

beforeAll(async () => {
  for (const [label, projects] of [['few', 20], ['many', EVENTS]] as const) {
    const service = await startTestService('sqlite');
    hubs[label] = { service, token: await seed(service, projects) };
  }
}, 120_000);

afterAll(async () => {
  for (const hub of Object.values(hubs)) {
    await hub.service.close();
  }
});

const read = async (label: string) => {
  const answer = await callApi(hubs[label].service, hubs[label].token, 'GET', '/events?limit=500');
  if (answer.status !== 200) {
    throw new Error(`the feed answered ${answer.status}`);
  }
  await answer.arrayBuffer();
};

describe(`read the feed: ${EVENTS.toLocaleString('en')} events, a reader who may see a tenth of the projects`, () => {
  const runs = { iterations: sized(20, 3), time: 0, warmupIterations: 1 };
  bench(`events of ${EVENTS.toLocaleString('en')} different projects`, () => read('many'), runs);
  bench('baseline: events of 20 projects', () => read('few'), runs);
});
