import { createHash, timingSafeEqual } from 'node:crypto';
import { Forbidden, Unauthorized } from '../../shared/errors';
import type { Access, RouteTable } from '../../shared/route-table';
import { credentialsOf } from '../authentication';
import type { ServiceMetrics } from '../metrics';

/** Compares two secrets in constant time (their digests have one length whatever theirs are). */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Access rule: the operator's metrics token (`HUBSHARE_METRICS_TOKEN`), as `Bearer` — what
 * Prometheus sends with `authorization.credentials`. No user's token opens it, not even a hub
 * admin's: the service is reachable through the hub's proxy, and the figures describe the whole
 * hub. Without a configured token the route is closed to everyone.
 */
export function operatorAccess(metricsToken: string | undefined): Access {
  return {
    name: 'operator',
    enforce: (req, res, next) => {
      if (!metricsToken) {
        throw new Forbidden('Metrics are off: the operator sets HUBSHARE_METRICS_TOKEN and scrapes with it as a Bearer token.', 'metrics_disabled');
      }
      const given = credentialsOf(req)?.token;
      if (!given) {
        res.set('WWW-Authenticate', 'Bearer realm="HubShare metrics"');
        throw new Unauthorized('Metrics need the operator\'s metrics token (Authorization: Bearer …).');
      }
      if (!sameSecret(given, metricsToken)) {
        // A user's token is no credential here at all: 401, as for a forged one.
        res.set('WWW-Authenticate', 'Bearer realm="HubShare metrics", error="invalid_token"');
        throw new Unauthorized('This is not the metrics token: metrics answer the operator\'s token only.', 'not_operator');
      }
      next();
    }
  };
}

/** `GET /metrics`: the Prometheus text format, for the operator's scraper. */
export function metricsRoutes(routes: RouteTable, metrics: ServiceMetrics, operator: Access): void {
  routes.get('/metrics', operator, async (_req, res) => {
    const { contentType, body } = await metrics.text();
    res.set('Content-Type', contentType).set('Cache-Control', 'no-store').send(body);
  });
}
