import { randomBytes } from 'node:crypto';
import { BadRequest, Conflict, NotFound } from '../../shared/errors';
import type { WebhookOwner, WebhookRow, WebhooksStore } from '../storage/webhooks-store';
import type { Caller, Clock } from './accounts';
import { bodyObject } from './projects';
import { type AddressPolicy, isLoopbackAddress, isLoopbackName, literalAddress } from '../webhooks/address-policy';

/** A webhook as listed: never its secret. */
export interface WebhookView {
  id: string;
  url: string;
  createdBy: string;
  createdAt: string;
}

export interface DeliveryView {
  id: string;
  /** The event's id (its feed cursor) and type. */
  event: string;
  type: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastAttemptAt: string | null;
  /** When the next attempt is due, while the delivery is pending. */
  nextAttemptAt: string | null;
  responseStatus: number | null;
  error: string | null;
}

const MAX_WEBHOOKS = 20;
const MAX_URL_LENGTH = 2000;
const DELIVERY_LOG_LENGTH = 100;

/**
 * Validates a webhook URL: https only, without credentials; no literal address inside the hub's
 * network, and loopback (http or https) only when the service allows it. A host name is checked
 * again, resolved, each time a delivery connects (`webhooks/webhook-post.ts`).
 * @throws BadRequest saying what is wrong.
 */
export function parseWebhookUrl(raw: unknown, policy: AddressPolicy): string {
  if (typeof raw !== 'string' || raw.length > MAX_URL_LENGTH) {
    throw new BadRequest(`"url" must be an https:// URL of at most ${MAX_URL_LENGTH} characters.`, 'invalid_url');
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new BadRequest('"url" is not a valid URL; give the full https://… address of the receiver.', 'invalid_url');
  }
  if (url.username !== '' || url.password !== '') {
    throw new BadRequest('A webhook URL must not carry a user name or password; receivers check the signature instead.', 'invalid_url');
  }
  const literal = literalAddress(url.hostname);
  const loopback = isLoopbackName(url.hostname) || (literal !== undefined && isLoopbackAddress(literal));
  const refused =
    literal !== undefined ? !policy.allowsAddress(literal) : isLoopbackName(url.hostname) && !policy.allowLoopbackHttp && !policy.allowsName(url.hostname);
  if (refused) {
    throw new BadRequest(
      'Webhooks to this machine or inside the hub\'s network (loopback, private, link-local and other reserved addresses) are turned off on this service.',
      'invalid_url'
    );
  }
  if (url.protocol !== 'https:' && !(loopback && url.protocol === 'http:')) {
    throw new BadRequest('A webhook URL must start with https://.', 'invalid_url');
  }
  return url.toString();
}

function parseWebhookId(raw: unknown): string {
  if (typeof raw !== 'string' || !/^[0-9a-f]{24}$/.test(raw)) {
    throw new BadRequest('A webhook id is the "id" its creation answered with.', 'invalid_webhook_id');
  }
  return raw;
}

/**
 * The webhooks of projects and teams. Who may manage them is decided before (project admin, team
 * maintainer or hub admin); a webhook is found only under its own project or team. The signing
 * secret is made here and shown once, in the creation answer.
 */
export class Webhooks {
  constructor(
    private readonly store: WebhooksStore,
    private readonly policy: AddressPolicy,
    private readonly clock: Clock
  ) {}

  async list(owner: WebhookOwner): Promise<WebhookView[]> {
    return (await this.store.list(owner)).map(view);
  }

  /**
   * Adds a webhook and returns it with its secret, which is never shown again.
   * @throws BadRequest for an invalid URL or body; Conflict past the number allowed.
   */
  async create(caller: Caller, owner: WebhookOwner, body: unknown): Promise<WebhookView & { secret: string }> {
    const url = parseWebhookUrl(bodyObject(body, ['url']).url, this.policy);
    if ((await this.store.list(owner)).length >= MAX_WEBHOOKS) {
      throw new Conflict(`There can be at most ${MAX_WEBHOOKS} webhooks here; delete one first.`, 'too_many_webhooks');
    }
    const row: WebhookRow = {
      id: randomBytes(12).toString('hex'),
      project_id: 'projectId' in owner ? owner.projectId : null,
      team_id: 'teamId' in owner ? owner.teamId : null,
      url,
      secret: `whsec_${randomBytes(32).toString('base64url')}`,
      created_by: caller.name,
      created_at: this.clock.now().toISOString()
    };
    await this.store.insert(row);
    return { ...view(row), secret: row.secret };
  }

  /** Removes a webhook with its pending deliveries and its log. @throws NotFound. */
  async delete(owner: WebhookOwner, rawId: unknown): Promise<void> {
    await this.store.delete((await this.require(owner, rawId)).id);
  }

  /** The webhook's latest deliveries, newest first. @throws NotFound. */
  async deliveries(owner: WebhookOwner, rawId: unknown): Promise<DeliveryView[]> {
    const webhook = await this.require(owner, rawId);
    return (await this.store.deliveries(webhook.id, DELIVERY_LOG_LENGTH)).map(row => ({
      id: row.id,
      event: String(row.event_seq),
      type: row.type,
      status: row.status,
      attempts: Number(row.attempts),
      lastAttemptAt: row.last_attempt_at,
      nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
      responseStatus: row.response_status,
      error: row.error
    }));
  }

  private async require(owner: WebhookOwner, rawId: unknown): Promise<WebhookRow> {
    const webhook = await this.store.byId(owner, parseWebhookId(rawId));
    if (!webhook) {
      throw new NotFound('There is no such webhook here.', 'no_such_webhook');
    }
    return webhook;
  }
}

function view(row: WebhookRow): WebhookView {
  return { id: row.id, url: row.url, createdBy: row.created_by, createdAt: row.created_at };
}
