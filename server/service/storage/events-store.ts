import { randomBytes } from 'node:crypto';
import { PostgresAdapter, type Selectable, sql } from 'kysely';
import type { Store } from './open-store';
import type { EventsTable } from './schema';

export type EventRow = Selectable<EventsTable>;

/** Who could see a project or team when it was deleted (hub admins always can). */
export interface DeletionAudience {
  users: string[];
  /** The project was visible to every signed-in user. */
  everyone: boolean;
}

/** An event as the domain describes it, before it has a sequence number. */
export interface NewEvent {
  type: string;
  createdAt: string;
  actor: string;
  projectId: string | null;
  teamId: string | null;
  subjectUserId: string | null;
  audience: DeletionAudience | null;
  data: Record<string, unknown>;
}

/** Any constant: the key of PostgreSQL's advisory lock that event writers take. */
const EVENT_WRITERS_LOCK = 4_857_254_911;

/** A transaction in which events may be inserted (see `eventTransaction`). */
export type EventTransaction = Store & { readonly __eventWriter: true };

/**
 * Runs `work` in a transaction that may store events. On PostgreSQL it first takes the event
 * writers' advisory lock, held to COMMIT: identity values are handed out at INSERT but become
 * visible at COMMIT, so without it a reader could see event 8 before a slower transaction
 * commits event 7, and skip 7 for good. Taking it first, before any row lock, means it cannot
 * deadlock with the rows the work touches. (SQLite has one writer at a time anyway.)
 */
export async function eventTransaction<T>(db: Store, work: (tx: EventTransaction) => Promise<T>): Promise<T> {
  return db.transaction().execute(async tx => {
    if (tx.getExecutor().adapter instanceof PostgresAdapter) {
      await sql`SELECT pg_advisory_xact_lock(${sql.lit(EVENT_WRITERS_LOCK)})`.execute(tx);
    }
    return work(tx as unknown as EventTransaction);
  });
}

/**
 * Stores an event and a pending delivery for every webhook that receives it, in the caller's
 * transaction: the event exists exactly when the change does, and a restart loses no delivery.
 * Webhooks that receive it: the project's, the team's, and those of teams granted the project.
 */
export async function insertEvent(tx: EventTransaction, event: NewEvent): Promise<number> {
  const { seq } = await tx
    .insertInto('events')
    .values({
      type: event.type,
      created_at: event.createdAt,
      actor: event.actor,
      project_id: event.projectId,
      team_id: event.teamId,
      subject_user_id: event.subjectUserId,
      audience: event.audience ? JSON.stringify(event.audience) : null,
      data: JSON.stringify(event.data)
    })
    .returning('seq')
    .executeTakeFirstOrThrow();
  const { projectId, teamId } = event;
  if (projectId === null && teamId === null) {
    return seq;
  }
  const webhooks = await tx
    .selectFrom('webhooks')
    .select('id')
    .where(eb => {
      const receivers = [];
      if (projectId !== null) {
        receivers.push(eb('project_id', '=', projectId));
        receivers.push(eb('team_id', 'in', eb.selectFrom('team_grants').select('team_id').where('project_id', '=', projectId)));
      }
      if (teamId !== null) {
        receivers.push(eb('team_id', '=', teamId));
      }
      return eb.or(receivers);
    })
    .execute();
  if (webhooks.length > 0) {
    await tx
      .insertInto('webhook_deliveries')
      .values(
        webhooks.map(webhook => ({
          id: randomBytes(12).toString('hex'),
          webhook_id: webhook.id,
          event_seq: seq,
          status: 'pending' as const,
          next_attempt_at: event.createdAt,
          last_attempt_at: null,
          response_status: null,
          error: null,
          created_at: event.createdAt
        }))
      )
      .execute();
  }
  return seq;
}

/**
 * Runs `work` and stores the event it caused in the same transaction; `eventOf` may return
 * null when the work changed nothing (a grant that was not there).
 */
export async function changeWithEvent<T>(db: Store, work: (tx: Store) => Promise<T>, eventOf: (result: T) => NewEvent | null): Promise<T> {
  return eventTransaction(db, async tx => {
    const result = await work(tx);
    const event = eventOf(result);
    if (event) {
      await insertEvent(tx, event);
    }
    return result;
  });
}

/** Reading the event feed, and storing events that no other change carries (pushes). */
export class EventsStore {
  constructor(private readonly db: Store) {}

  /**
   * Records what a push (or a start) found a project's refs to be: the events `eventsOf` makes
   * from where the last record left them (null when nothing was ever recorded for the project),
   * and the refs now, together or not at all.
   */
  async recordRefs(projectId: string, refs: ReadonlyMap<string, string>, eventsOf: (recorded: ReadonlyMap<string, string> | null) => NewEvent[]): Promise<void> {
    await eventTransaction(this.db, async tx => {
      const row = await tx.selectFrom('repository_states').select('refs').where('project_id', '=', projectId).executeTakeFirst();
      const recorded = row ? new Map(Object.entries(JSON.parse(row.refs) as Record<string, string>)) : null;
      for (const event of eventsOf(recorded)) {
        await insertEvent(tx, event);
      }
      const now = JSON.stringify(Object.fromEntries([...refs].sort(([a], [b]) => a.localeCompare(b))));
      if (row?.refs !== now) {
        await tx
          .insertInto('repository_states')
          .values({ project_id: projectId, refs: now })
          .onConflict(conflict => conflict.column('project_id').doUpdateSet({ refs: now }))
          .execute();
      }
    });
  }

  /** Events after a cursor, oldest first. */
  after(seq: number, limit: number): Promise<EventRow[]> {
    return this.db.selectFrom('events').selectAll().where('seq', '>', seq).orderBy('seq').limit(limit).execute();
  }

  bySeq(seq: number): Promise<EventRow | undefined> {
    return this.db.selectFrom('events').selectAll().where('seq', '=', seq).executeTakeFirst();
  }

  /** The audiences stored with the deletion events of these projects or teams, by id (one query). */
  async deletionAudiences(kind: 'project' | 'team', ids: readonly string[]): Promise<Map<string, DeletionAudience>> {
    const audiences = new Map<string, DeletionAudience>();
    if (ids.length === 0) {
      return audiences;
    }
    const rows = await (kind === 'project'
      ? this.db.selectFrom('events').select(['project_id as id', 'audience']).where('type', '=', 'project.deleted').where('project_id', 'in', [...ids])
      : this.db.selectFrom('events').select(['team_id as id', 'audience']).where('type', '=', 'team.deleted').where('team_id', 'in', [...ids])
    ).execute();
    for (const row of rows) {
      if (row.id !== null && row.audience) {
        audiences.set(row.id, JSON.parse(row.audience) as DeletionAudience);
      }
    }
    return audiences;
  }
}
