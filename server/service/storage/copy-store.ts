import { type Kysely, sql } from 'kysely';
import { Conflict } from '../../shared/errors';
import type { Engine, Store } from './open-store';
import type { HubShareSchema } from './schema';

/** Every table of the schema, parents before the rows that reference them. */
export const TABLES_IN_ORDER = [
  'users',
  'api_tokens',
  'teams',
  'team_members',
  'projects',
  'user_grants',
  'team_grants',
  'repository_states',
  'events',
  'webhooks',
  'webhook_deliveries'
] as const satisfies readonly (keyof HubShareSchema)[];

/** Each table's key columns: rows are read in this order, so a page never skips or repeats one. */
const KEYS: Record<(typeof TABLES_IN_ORDER)[number], string[]> = {
  users: ['id'],
  api_tokens: ['id'],
  teams: ['id'],
  team_members: ['team_id', 'user_id'],
  projects: ['id'],
  user_grants: ['project_id', 'user_id'],
  team_grants: ['project_id', 'team_id'],
  repository_states: ['project_id'],
  events: ['seq'],
  webhooks: ['id'],
  webhook_deliveries: ['id']
};

/** Rows per statement: well within both engines' bounds on a statement's parameters. */
const PAGE = 500;

type Row = Record<string, unknown>;
/** The schema seen table by table, for a copy that names tables as values. */
type AnyTables = Record<string, Row>;

/**
 * Copies every row of one store into another, empty one, in one transaction on the target: the
 * move from the embedded SQLite file to PostgreSQL (or back). Both are opened through
 * `openStore`, so both have every migration. On PostgreSQL the events' sequence continues after
 * the last copied event, so the feed's cursors stay valid.
 * @throws Conflict when the target already holds rows (nothing is written).
 * @returns how many rows each table had.
 */
export async function copyStore(from: { db: Store; engine: Engine }, to: { db: Store; engine: Engine }, pageSize = PAGE): Promise<Record<string, number>> {
  // One snapshot of the source (a transaction: SQLite's first read fixes it, PostgreSQL's
  // repeatable read keeps it), however many pages the copy reads.
  const reading = from.engine === 'postgres' ? from.db.transaction().setIsolationLevel('repeatable read') : from.db.transaction();
  return reading.execute(snapshot => copyRows(snapshot as unknown as Kysely<AnyTables>, to, pageSize));
}

async function copyRows(source: Kysely<AnyTables>, to: { db: Store; engine: Engine }, pageSize: number): Promise<Record<string, number>> {
  const target = to.db as unknown as Kysely<AnyTables>;
  const counts: Record<string, number> = {};
  await target.transaction().execute(async tx => {
    const occupied: string[] = [];
    for (const table of TABLES_IN_ORDER) {
      const row = await tx.selectFrom(table).select(eb => eb.fn.countAll<number | string | bigint>().as('n')).executeTakeFirstOrThrow();
      if (Number(row.n) > 0) {
        occupied.push(`${table} (${Number(row.n)})`);
      }
    }
    if (occupied.length > 0) {
      throw new Conflict(`The target database already holds HubShare data: ${occupied.join(', ')}. Copy into an empty database.`, 'target_not_empty');
    }
    for (const table of TABLES_IN_ORDER) {
      counts[table] = 0;
      let after: unknown[] | undefined;
      for (;;) {
        let page = source.selectFrom(table).selectAll();
        for (const key of KEYS[table]) {
          page = page.orderBy(key);
        }
        const seen = after;
        if (seen) {
          const [first, second] = KEYS[table];
          page = second === undefined ? page.where(first, '>', seen[0]) : page.where(eb => eb(eb.refTuple(first, second), '>', eb.tuple(seen[0], seen[1])));
        }
        const rows = (await page.limit(pageSize).execute()) as Row[];
        if (rows.length === 0) {
          break;
        }
        await tx.insertInto(table).values(rows).execute();
        counts[table] += rows.length;
        const last = rows[rows.length - 1];
        after = KEYS[table].map(key => last[key]);
        if (rows.length < pageSize) {
          break;
        }
      }
    }
    if (to.engine === 'postgres') {
      await sql`SELECT setval(pg_get_serial_sequence('events', 'seq'), COALESCE((SELECT max(seq) FROM events), 0) + 1, false)`.execute(tx);
    }
  });
  return counts;
}
