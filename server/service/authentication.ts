import type { Request, Response } from 'express';
import { Unauthorized } from '../shared/errors';
import type { Access } from '../shared/route-table';
import type { Caller } from './domain/accounts';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** Set by `signedIn` once the caller's token has been accepted. */
      caller?: Caller;
    }
  }
}

/** Turns a token into a caller: the service's own tokens standalone, the hub's under JupyterHub. */
export interface IdentityProvider {
  resolve(token: string): Promise<Caller | undefined>;
}

/**
 * Extracts the token from `Authorization: token T`, `Bearer T`, or HTTP Basic with the token as
 * password (what git sends for `http://user:token@host/…`). Returns the Basic user name too, so
 * it can be checked against the token's owner.
 */
export function credentialsOf(req: Request): { token: string; basicUser?: string } | undefined {
  const header = req.get('authorization');
  if (!header) {
    return undefined;
  }
  const [scheme, value = ''] = header.trim().split(/\s+/, 2);
  switch (scheme.toLowerCase()) {
    case 'token':
    case 'bearer':
      return value ? { token: value } : undefined;
    case 'basic': {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) {
        return undefined;
      }
      const password = decoded.slice(colon + 1);
      return password ? { token: password, basicUser: decoded.slice(0, colon) } : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Resolves the request's credentials to a caller.
 * @throws Unauthorized (with a Basic challenge, so git asks for credentials) when there are none
 *   or they identify no one.
 */
export async function authenticate(req: Request, res: Response, identity: IdentityProvider): Promise<Caller> {
  const credentials = credentialsOf(req);
  if (!credentials) {
    res.set('WWW-Authenticate', 'Basic realm="HubShare", charset="UTF-8"');
    throw new Unauthorized();
  }
  const caller = await identity.resolve(credentials.token);
  if (!caller || (credentials.basicUser !== undefined && credentials.basicUser !== caller.name)) {
    res.set('WWW-Authenticate', 'Basic realm="HubShare", charset="UTF-8"');
    throw new Unauthorized('This token is not valid (expired, revoked, or for another user).', 'invalid_token');
  }
  res.locals.caller = caller;
  return caller;
}

/** Access rule: the caller presents a token that identifies someone. */
export function signedIn(identity: IdentityProvider): Access {
  return {
    name: 'signed-in',
    enforce: async (req, res, next) => {
      await authenticate(req, res, identity);
      next();
    }
  };
}

/** The caller accepted by `signedIn`. @throws Unauthorized if the route forgot to declare it. */
export function callerOf(locals: { caller?: Caller }): Caller {
  if (!locals.caller) {
    throw new Unauthorized();
  }
  return locals.caller;
}
