// `hubshare-service database copy`: the move from the embedded SQLite file to PostgreSQL, with
// real services on both sides of it and real git pushes before and after.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../../../server/service/cli';
import { temporaryDirectory } from '../http-harness';
import { cloneUrl, GitClient } from './git-client';
import { runCli as cli } from './cli-harness';
import { callApi } from './service-harness';
import { freshPostgresDatabase, testEngines } from './test-databases';
import { openStore } from '../../../server/service/storage/open-store';
import { copyStore, TABLES_IN_ORDER } from '../../../server/service/storage/copy-store';
import { sql } from 'kysely';

const serve = (dataDir: string, database?: string) =>
  startService(['--data-dir', dataDir, '--port', '0', ...(database ? ['--database', database] : [])], { env: {}, cwd: dataDir, logger: pino({ enabled: false }) });

describe('database copy', () => {
  it('copies every table the migrations create (a new table must join TABLES_IN_ORDER)', async () => {
    const dir = temporaryDirectory('hubshare-copy-tables-');
    const store = await openStore({ dataDir: dir.path });
    try {
      const { rows } = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'kysely_%' ORDER BY name`.execute(store.db);
      expect(rows.map(row => row.name)).toEqual([...TABLES_IN_ORDER].sort());
    } finally {
      await store.close();
      dir.remove();
    }
  });
});

describe.skipIf(!testEngines().includes('postgres'))('moving from the embedded SQLite file to PostgreSQL', () => {
  const dir = temporaryDirectory('hubshare-copy-');
  const work = temporaryDirectory('hubshare-copy-git-');
  const git = new GitClient(join(work.path, 'home'));
  const database = { url: '', drop: async () => undefined };
  const tokens: Record<string, string> = {};
  let before: Record<string, unknown>;
  let service: RunningService;

  /** What the users see: their lists, the feed, teams, a webhook's deliveries (the service's own address left out). */
  async function answers(running: RunningService): Promise<Record<string, unknown>> {
    const read = async (user: string, path: string) => {
      const response = await callApi(running, tokens[user], 'GET', path);
      expect(response.status, path).toBe(200);
      return JSON.parse((await response.text()).replaceAll(running.url, '<service>')) as unknown;
    };
    const { webhooks: hooks } = (await read('alice', '/projects/alice/analysis/webhooks')) as { webhooks: { id: string }[] };
    return {
      aliceMine: await read('alice', '/projects?scope=mine'),
      bobShared: await read('bob', '/projects?scope=shared'),
      aliceEvents: await read('alice', '/events?limit=100'),
      bobEvents: await read('bob', '/events?limit=100'),
      teams: await read('bob', '/teams'),
      // Which deliveries, not how their attempts went: each service's worker is trying them meanwhile.
      deliveries: ((await read('alice', `/projects/alice/analysis/webhooks/${hooks[0].id}/deliveries`)) as { deliveries: { id: string; event: string; type: string }[] }).deliveries.map(
        ({ id, event, type }) => ({ id, event, type })
      ),
      log: await read('bob', '/projects/alice/analysis/log')
    };
  }

  async function push(running: RunningService, user: string, file: string) {
    const clone = join(work.path, `${user}-${file}`);
    await git.run(['clone', '-q', cloneUrl(running.url, user, tokens[user], 'alice/analysis'), clone]);
    writeFileSync(join(clone, file), `${file}\n`);
    await git.run(['add', file], clone);
    await git.run(['commit', '-q', '-m', `add ${file}`], clone);
    await git.run(['push', '-q', 'origin', 'main'], clone);
  }

  beforeAll(async () => {
    Object.assign(database, await freshPostgresDatabase());
    for (const user of ['alice', 'bob']) {
      expect((await cli(dir.path, 'user', 'add', user)).code).toBe(0);
      tokens[user] = (JSON.parse((await cli(dir.path, 'token', 'create', user, '--json')).out) as { token: string }).token;
    }
    service = await serve(dir.path);
    const api = (user: string, method: string, path: string, body?: unknown) => callApi(service, tokens[user], method, path, body);
    expect((await api('alice', 'POST', '/projects', { name: 'analysis', description: 'the one that moves' })).status).toBe(201);
    expect((await api('alice', 'POST', '/projects', { name: 'gone' })).status).toBe(201);
    expect((await api('alice', 'POST', '/teams', { name: 'crew' })).status).toBe(201);
    expect((await api('alice', 'PUT', '/teams/crew/members/bob', { role: 'member' })).status).toBe(200);
    expect((await api('alice', 'PUT', '/projects/alice/analysis/grants/teams/crew', { level: 'write' })).status).toBe(200);
    expect((await api('alice', 'PUT', '/projects/alice/gone/grants/users/bob', { level: 'read' })).status).toBe(200);
    expect((await api('alice', 'POST', '/projects/alice/analysis/webhooks', { url: 'https://hooks.example.org/moved' })).status).toBe(201);
    await push(service, 'alice', 'first.md');
    await push(service, 'bob', 'second.md');
    expect((await api('alice', 'DELETE', '/projects/alice/gone')).status).toBe(204);
    before = await answers(service);
    await service.close();
  }, 60_000);
  afterAll(async () => {
    await service.close().catch(() => undefined);
    await database.drop();
    dir.remove();
    work.remove();
  });

  it('copies everything, and the service on PostgreSQL answers as the one on SQLite did, to the same tokens', async () => {
    const copied = await cli(dir.path, 'database', 'copy', '--to', database.url);
    expect(copied.code, copied.err).toBe(0);
    expect(copied.err).toMatch(/^Copied 2 users, 2 api_tokens, 1 teams, 2 team_members, 1 projects, 0 user_grants, 1 team_grants, 1 repository_states, \d+ events, 1 webhooks, \d+ webhook_deliveries\./);
    service = await serve(dir.path, database.url);
    expect(await answers(service)).toEqual(before);
  });

  it('goes on where it was: a push after the move is the next event, and reaches the copied webhook', async () => {
    const events = (before.aliceEvents as { events: { id: string }[] }).events;
    await push(service, 'bob', 'third.md');
    // The push's event is written once git has answered the client: wait for it.
    let after: { type: string; actor: string }[] = [];
    for (let waited = 0; after.length === 0 && waited < 5000; waited += 50) {
      await new Promise(resolve => setTimeout(resolve, 50));
      const response = await callApi(service, tokens.alice, 'GET', `/events?since=${events[events.length - 1].id}`);
      after = ((await response.json()) as { events: { type: string; actor: string }[] }).events;
    }
    expect(after.map(event => [event.type, event.actor])).toEqual([['push', 'bob']]);
    const { webhooks: hooks } = (await (await callApi(service, tokens.alice, 'GET', '/projects/alice/analysis/webhooks')).json()) as { webhooks: { id: string }[] };
    const { deliveries } = (await (await callApi(service, tokens.alice, 'GET', `/projects/alice/analysis/webhooks/${hooks[0].id}/deliveries`)).json()) as { deliveries: unknown[] };
    expect(deliveries.length).toBe((before.deliveries as unknown[]).length + 1);
  });

  it('refuses to copy into a database that holds data, and writes nothing there', async () => {
    await service.close();
    const again = await cli(dir.path, 'database', 'copy', '--to', database.url);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/^hubshare-service: The target database already holds HubShare data: users \(2\), api_tokens \(2\), .*Copy into an empty database\.$/);
    service = await serve(dir.path, database.url);
    const events = (await (await callApi(service, tokens.alice, 'GET', '/events?limit=100')).json()) as { events: unknown[] };
    expect(events.events.length).toBe((before.aliceEvents as { events: unknown[] }).events.length + 1);
  });

  it('copies back from PostgreSQL into an empty SQLite file too, page by page, row for row', async () => {
    await service.close();
    const back = temporaryDirectory('hubshare-copy-back-');
    const from = await openStore({ dataDir: dir.path, databaseUrl: database.url });
    const to = await openStore({ dataDir: back.path });
    try {
      // Pages of two rows: every table's keyset paging (one column and two) runs many times.
      const counts = await copyStore(from, to, 2);
      expect(counts.events).toBeGreaterThan(4);
      for (const table of TABLES_IN_ORDER) {
        const rows = async (store: typeof from) => (await store.db.selectFrom(table).selectAll().execute()).map(row => JSON.stringify(row)).sort();
        expect(await rows(to), table).toEqual(await rows(from));
      }
    } finally {
      await from.close();
      await to.close();
      back.remove();
    }
  });

  it('refuses a copy onto itself, and a data directory with no database', async () => {
    expect(await cli(dir.path, 'database', 'copy', '--to', 'sqlite')).toMatchObject({ code: 2, err: 'hubshare-service: --to names the database being copied; name another one.' });
    const empty = temporaryDirectory('hubshare-copy-empty-');
    try {
      const refused = await cli(empty.path, 'database', 'copy', '--to', database.url);
      expect(refused.code).toBe(2);
      expect(refused.err).toContain('There is no HubShare database in');
    } finally {
      empty.remove();
    }
  });
});
