import type { Selectable } from 'kysely';
import type { Store } from './open-store';
import type { DeliveryStatus, EventsTable, WebhookDeliveriesTable, WebhooksTable } from './schema';

export type WebhookRow = Selectable<WebhooksTable>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;

/** The project or the team a webhook belongs to. */
export type WebhookOwner = { projectId: string } | { teamId: string };

/** A delivery that is due, with what the worker needs to send it. */
export interface DueDelivery {
  id: string;
  attempts: number;
  nextAttemptAt: string;
  url: string;
  secret: string;
  /** The webhook's project or team, and who made it (a user name): deliveries go out only while they may see them. */
  webhook: { projectId: string | null; teamId: string | null; createdBy: string };
  event: Selectable<EventsTable>;
}

/** Queries on webhooks and their deliveries. */
export class WebhooksStore {
  constructor(private readonly db: Store) {}

  private ofOwner(owner: WebhookOwner) {
    const query = this.db.selectFrom('webhooks').selectAll();
    return 'projectId' in owner ? query.where('project_id', '=', owner.projectId) : query.where('team_id', '=', owner.teamId);
  }

  list(owner: WebhookOwner): Promise<WebhookRow[]> {
    return this.ofOwner(owner).orderBy('created_at').orderBy('id').execute();
  }

  byId(owner: WebhookOwner, id: string): Promise<WebhookRow | undefined> {
    return this.ofOwner(owner).where('id', '=', id).executeTakeFirst();
  }

  async insert(webhook: WebhookRow): Promise<void> {
    await this.db.insertInto('webhooks').values(webhook).execute();
  }

  /** Removes a webhook and, with it, its delivery log and the deliveries it still had pending. */
  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('webhooks').where('id', '=', id).execute();
  }

  /** A webhook's latest deliveries, newest first, with the type of their event. */
  deliveries(webhookId: string, limit: number): Promise<(DeliveryRow & { type: string })[]> {
    return this.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('events as e', 'e.seq', 'd.event_seq')
      .selectAll('d')
      .select('e.type')
      .where('d.webhook_id', '=', webhookId)
      .orderBy('d.event_seq', 'desc')
      .orderBy('d.id')
      .limit(limit)
      .execute();
  }

  /** Pending deliveries whose time has come, the oldest first. */
  async due(now: string, limit: number): Promise<DueDelivery[]> {
    const rows = await this.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
      .innerJoin('events as e', 'e.seq', 'd.event_seq')
      .selectAll('e')
      .select([
        'd.id as delivery_id',
        'd.attempts',
        'd.next_attempt_at',
        'w.url',
        'w.secret',
        'w.project_id as webhook_project_id',
        'w.team_id as webhook_team_id',
        'w.created_by as webhook_created_by'
      ])
      .where('d.status', '=', 'pending')
      .where('d.next_attempt_at', '<=', now)
      .orderBy('d.next_attempt_at')
      .orderBy('d.event_seq')
      .limit(limit)
      .execute();
    return rows.map(({ delivery_id, attempts, next_attempt_at, url, secret, webhook_project_id, webhook_team_id, webhook_created_by, ...event }) => ({
      id: delivery_id,
      attempts,
      nextAttemptAt: next_attempt_at,
      url,
      secret,
      webhook: { projectId: webhook_project_id, teamId: webhook_team_id, createdBy: webhook_created_by },
      event
    }));
  }

  /** How many deliveries wait to be sent or retried (an index-only count: status leads an index). */
  async pendingCount(): Promise<number> {
    const row = await this.db
      .selectFrom('webhook_deliveries')
      .select(eb => eb.fn.countAll<number | string | bigint>().as('pending'))
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    return Number(row.pending);
  }

  /**
   * Takes a due delivery for this worker by moving its next attempt to `leaseUntil`, only if no
   * other worker (another replica) took it since it was read. If this process dies while sending,
   * the delivery is due again once the lease is over.
   */
  async claim(id: string, seenNextAttemptAt: string, leaseUntil: string): Promise<boolean> {
    const result = await this.db
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: leaseUntil })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where('next_attempt_at', '=', seenNextAttemptAt)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Records the outcome of an attempt. */
  async recordAttempt(
    id: string,
    outcome: { status: DeliveryStatus; attempts: number; nextAttemptAt: string; at: string; responseStatus: number | null; error: string | null }
  ): Promise<void> {
    await this.db
      .updateTable('webhook_deliveries')
      .set({
        status: outcome.status,
        attempts: outcome.attempts,
        next_attempt_at: outcome.nextAttemptAt,
        last_attempt_at: outcome.at,
        response_status: outcome.responseStatus,
        error: outcome.error
      })
      .where('id', '=', id)
      .execute();
  }

  /**
   * Removes the webhooks of deleted projects and teams once nothing is pending for them: they
   * were kept so that the deletion event itself could be delivered.
   */
  async removeOrphans(): Promise<void> {
    await this.db
      .deleteFrom('webhooks as w')
      .where(eb =>
        eb.and([
          eb.or([
            eb.and([eb('w.project_id', 'is not', null), eb.not(eb.exists(eb.selectFrom('projects as p').select('p.id').whereRef('p.id', '=', 'w.project_id')))]),
            eb.and([eb('w.team_id', 'is not', null), eb.not(eb.exists(eb.selectFrom('teams as t').select('t.id').whereRef('t.id', '=', 'w.team_id')))])
          ]),
          eb.not(
            eb.exists(
              eb.selectFrom('webhook_deliveries as d').select('d.id').whereRef('d.webhook_id', '=', 'w.id').where('d.status', '=', 'pending')
            )
          )
        ])
      )
      .execute();
  }
}
