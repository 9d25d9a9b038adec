import { timingSafeEqual } from 'node:crypto';
import { Unauthorized } from '../shared/errors';
import type { Request } from 'express';
import type { Access } from '../shared/route-table';

/** The header in which the server extension proves a request came through Jupyter's auth. */
export const PROXY_SECRET_HEADER = 'x-hubshare-agent-secret';

/**
 * Access rule for every agent route: the request carries the secret that only the server
 * extension (which authenticated the Jupyter user) knows. The private socket directory is the
 * first wall; this is the second.
 */
export function proxiedFromJupyter(secret: string): Access {
  const requireSecret = proxySecretCheck(secret);
  return {
    name: 'proxied-from-jupyter',
    enforce: (req, _res, next) => {
      requireSecret(req);
      next();
    }
  };
}

/**
 * The check behind every agent access rule: the request carries the proxy's secret.
 * @throws Unauthorized when it does not (compared in constant time).
 */
export function proxySecretCheck(secret: string): (req: Request) => void {
  const expected = Buffer.from(secret, 'utf8');
  return req => {
    const presented = Buffer.from(req.get(PROXY_SECRET_HEADER) ?? '', 'utf8');
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
      throw new Unauthorized('This agent only answers requests proxied by your Jupyter server.');
    }
  };
}
