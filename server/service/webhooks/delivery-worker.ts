import { version } from '../../shared/version';
import type { Clock } from '../domain/accounts';
import { eventView } from '../domain/events';
import type { DeliveryOutcome } from '../metrics';
import type { DueDelivery, WebhooksStore } from '../storage/webhooks-store';
import type { AddressPolicy } from './address-policy';
import { ForbiddenAddressError, postWebhook, type Resolver } from './webhook-post';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signatureHeader } from './signature';

/** How deliveries are paced; injectable so tests run in milliseconds. */
export interface DeliveryOptions {
  /** How often the worker looks for due deliveries. */
  pollIntervalMs: number;
  /** The wait after the first failed attempt; it doubles after each further one. */
  backoffBaseMs: number;
  /** The longest wait between two attempts. */
  maxBackoffMs: number;
  /** After this many failed attempts a delivery is marked failed. */
  maxAttempts: number;
  /** How long one POST may take. */
  timeoutMs: number;
  /** How many deliveries are sent at once. */
  batchSize: number;
}

/** About a day and a half of retries before giving up: 1 min, 2, 4, … capped at 6 hours. */
export const DEFAULT_DELIVERY_OPTIONS: DeliveryOptions = {
  pollIntervalMs: 2000,
  backoffBaseMs: 60_000,
  maxBackoffMs: 6 * 60 * 60 * 1000,
  maxAttempts: 10,
  timeoutMs: 10_000,
  batchSize: 10
};

/**
 * Sends the pending webhook deliveries stored in the database: POSTs each event, signed, and
 * records every attempt; retries with exponential backoff; marks a delivery failed after
 * `maxAttempts`. Deliveries are at least once (a crash between the receiver's answer and its
 * record means one more attempt); the delivery id header lets receivers drop repeats. Because
 * deliveries are created with their event, a service that was down sends them when it is back.
 */
export class WebhookDeliveryWorker {
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> | undefined;
  private running = false;

  constructor(
    private readonly store: WebhooksStore,
    private readonly options: DeliveryOptions,
    private readonly target: { policy: AddressPolicy; resolver: Resolver },
    /** Says why a delivery must not go out now (its creator may no longer see it), or null. */
    private readonly audience: { refusal(delivery: DueDelivery): Promise<string | null> },
    private readonly clock: Clock,
    private readonly log: (message: string) => void,
    /** Told how each attempt ended (metrics). */
    private readonly attempted: (outcome: DeliveryOutcome) => void = () => undefined
  ) {}

  /** Starts polling for due deliveries. */
  start(): void {
    if (this.running) {
      return;
    }
    this.running = true;
    this.schedule(0);
  }

  /** Stops polling and waits for the attempts under way to be recorded. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.pass;
  }

  /** Sends what is due now, once; returns how many deliveries were attempted. */
  async deliverDue(): Promise<number> {
    let attempted = 0;
    for (;;) {
      const due = await this.store.due(this.clock.now().toISOString(), this.options.batchSize);
      const sent = await Promise.all(due.map(delivery => this.attempt(delivery)));
      const count = sent.filter(Boolean).length;
      attempted += count;
      if (due.length < this.options.batchSize || count === 0 || !this.running) {
        break;
      }
    }
    if (attempted > 0) {
      // A deleted project's webhooks wait for their last delivery; one may just have finished.
      await this.store.removeOrphans();
    }
    return attempted;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.pass = this.deliverDue()
        .then(
          () => undefined,
          error => this.log(`webhook deliveries: ${error instanceof Error ? error.message : String(error)}`)
        )
        .finally(() => {
          this.pass = undefined;
          if (this.running) {
            this.schedule(this.options.pollIntervalMs);
          }
        });
    }, delayMs);
    this.timer.unref();
  }

  /** One attempt at one delivery; false when another worker had already taken it. */
  private async attempt(delivery: DueDelivery): Promise<boolean> {
    const started = this.clock.now();
    const lease = new Date(started.getTime() + this.options.timeoutMs + 60_000).toISOString();
    if (!(await this.store.claim(delivery.id, delivery.nextAttemptAt, lease))) {
      return false;
    }
    const body = JSON.stringify(eventView(delivery.event));
    let responseStatus: number | null = null;
    let error: string | null = await this.audience.refusal(delivery);
    const refused = error !== null;
    if (!refused) {
      try {
        responseStatus = await postWebhook(
          delivery.url,
          {
            'Content-Type': 'application/json',
            'User-Agent': `HubShare-Webhook/${version}`,
            [EVENT_HEADER]: delivery.event.type,
            [DELIVERY_HEADER]: delivery.id,
            [SIGNATURE_HEADER]: signatureHeader(delivery.secret, Math.floor(started.getTime() / 1000), body)
          },
          body,
          // Redirects are not followed (they could lead past the address checks): a failure.
          { ...this.target, timeoutMs: this.options.timeoutMs }
        );
        if (responseStatus < 200 || responseStatus > 299) {
          error = `The receiver answered HTTP ${responseStatus}.`;
        }
      } catch (failure) {
        error = describeFailure(failure, this.options.timeoutMs);
      }
    }
    const attempts = delivery.attempts + 1;
    const finished = this.clock.now();
    // A refusal is not retried: what its creator may no longer see is never sent later either.
    const status = error === null ? 'delivered' : refused || attempts >= this.options.maxAttempts ? 'failed' : 'pending';
    const wait = Math.min(this.options.maxBackoffMs, this.options.backoffBaseMs * 2 ** (attempts - 1));
    await this.store.recordAttempt(delivery.id, {
      status,
      attempts,
      nextAttemptAt: new Date(finished.getTime() + (status === 'pending' ? wait : 0)).toISOString(),
      at: finished.toISOString(),
      responseStatus,
      error
    });
    this.attempted(refused ? 'refused' : status === 'pending' ? 'retrying' : status);
    if (status === 'failed') {
      this.log(`webhook delivery ${delivery.id} failed for good after ${attempts} attempts: ${error ?? ''}`);
    }
    return true;
  }
}

/** Why a POST did not get an answer, in words for the delivery log (never the URL or secret). */
function describeFailure(failure: unknown, timeoutMs: number): string {
  if (failure instanceof ForbiddenAddressError) {
    // Nothing about the address or port: the log must not tell what answers inside the network.
    return 'Refused: the receiver\'s address is inside the hub\'s network. An operator can allow it (--webhook-allow-hosts).';
  }
  if (failure instanceof Error && (failure.name === 'TimeoutError' || failure.name === 'AbortError')) {
    return `The receiver did not answer within ${timeoutMs / 1000} s.`;
  }
  const cause = failure instanceof Error ? failure.cause : undefined;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : undefined;
  const message = failure instanceof Error ? failure.message : String(failure);
  return `Could not reach the receiver: ${code ?? message}`.slice(0, 300);
}
