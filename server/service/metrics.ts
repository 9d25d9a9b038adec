import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PoolStats } from './storage/open-store';

/** How a git smart-HTTP request ended: git answered, the body was over the limit, or git failed. */
export type GitOutcome = 'ok' | 'too_large' | 'failed';

/** How one webhook delivery attempt ended (a refusal: its creator may no longer see the event). */
export type DeliveryOutcome = 'delivered' | 'retrying' | 'failed' | 'refused';

/** Figures about one git request: what it carried in and out. */
export interface GitTransfer {
  outcome: GitOutcome;
  receivedBytes: number;
  sentBytes: number;
}

/** Where the gauges read their figures when Prometheus asks. */
export interface MetricSources {
  /** The database pools' connections (none on SQLite). */
  pools(): PoolStats[];
  /** Deliveries waiting in the database: the whole hub's, so every replica reports the same. */
  pendingDeliveries(): Promise<number>;
}

const GIT_SECONDS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 180, 600];

/**
 * The service's Prometheus figures, in a registry of its own (not prom-client's global one, so
 * several apps in one process — tests — do not share counters). Labels are bounded: a route is
 * its declared pattern (`/api/v1/projects/:owner/:name`), never the requested path, and a request
 * no route matched is `unmatched`, so random URLs cannot grow the series without bound.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly requestSeconds: Histogram<'method' | 'route'>;
  private readonly gitRequests: Counter<'service' | 'outcome'>;
  private readonly gitBytes: Counter<'service' | 'direction'>;
  private readonly gitSeconds: Histogram<'service'>;
  private readonly deliveries: Counter<'outcome'>;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'hubshare_' });
    this.requests = new Counter({
      name: 'hubshare_http_requests_total',
      help: 'HTTP requests answered, by method, declared route and status.',
      labelNames: ['method', 'route', 'status'],
      registers
    });
    this.requestSeconds = new Histogram({
      name: 'hubshare_http_request_duration_seconds',
      help: 'Time from a request arriving to its answer finishing, by method and declared route.',
      labelNames: ['method', 'route'],
      registers
    });
    this.gitRequests = new Counter({
      name: 'hubshare_git_requests_total',
      help: 'git smart-HTTP requests served by git http-backend, by service (git-upload-pack: fetches, git-receive-pack: pushes; ref advertisements included) and outcome.',
      labelNames: ['service', 'outcome'],
      registers
    });
    this.gitBytes = new Counter({
      name: 'hubshare_git_bytes_total',
      help: 'Bytes of git smart-HTTP bodies: received from clients (in) and sent to them (out), by service.',
      labelNames: ['service', 'direction'],
      registers
    });
    this.gitSeconds = new Histogram({
      name: 'hubshare_git_request_duration_seconds',
      help: 'Time git http-backend took for one request, by service.',
      labelNames: ['service'],
      buckets: GIT_SECONDS,
      registers
    });
    this.deliveries = new Counter({
      name: 'hubshare_webhook_attempts_total',
      help: 'Webhook delivery attempts made by this process, by outcome (retrying: failed, another attempt will follow).',
      labelNames: ['outcome'],
      registers
    });
    new Gauge({
      name: 'hubshare_webhook_deliveries_pending',
      help: 'Webhook deliveries waiting to be sent or retried (the whole hub: every replica reports the same).',
      registers,
      async collect() {
        // While the database is away the scrape still answers (with the last figure known).
        const pending = await sources.pendingDeliveries().catch(() => undefined);
        if (pending !== undefined) {
          this.set(pending);
        }
      }
    });
    const pool = (name: string, help: string, figure: (stats: PoolStats) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['pool'],
        registers,
        collect() {
          for (const stats of sources.pools()) {
            this.set({ pool: stats.pool }, figure(stats));
          }
        }
      });
    pool('hubshare_db_pool_connections', 'Database connections open, by pool (store: queries; locks: pushes holding their project\'s turn).', stats => stats.total);
    pool('hubshare_db_pool_idle_connections', 'Database connections open and idle, by pool.', stats => stats.idle);
    pool('hubshare_db_pool_waiting_clients', 'Queries or pushes waiting for a connection, by pool.', stats => stats.waiting);
    pool('hubshare_db_pool_max_connections', 'The most connections a pool opens.', stats => stats.max);
  }

  /** Counts and times every request once its answer has finished (or its connection closed). */
  requestMiddleware(): RequestHandler {
    return (req, res, next) => {
      const stop = this.requestSeconds.startTimer();
      res.once('close', () => {
        const pattern: unknown = (req.route as { path?: unknown } | undefined)?.path;
        const route = typeof pattern === 'string' ? pattern : 'unmatched';
        stop({ method: req.method, route });
        this.requests.inc({ method: req.method, route, status: String(res.statusCode) });
      });
      next();
    };
  }

  git(service: string, transfer: GitTransfer, seconds: number): void {
    this.gitRequests.inc({ service, outcome: transfer.outcome });
    this.gitBytes.inc({ service, direction: 'in' }, transfer.receivedBytes);
    this.gitBytes.inc({ service, direction: 'out' }, transfer.sentBytes);
    this.gitSeconds.observe({ service }, seconds);
  }

  webhookAttempt(outcome: DeliveryOutcome): void {
    this.deliveries.inc({ outcome });
  }

  /** The text Prometheus scrapes. */
  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
