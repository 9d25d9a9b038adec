import type { RequestHandler, Router } from 'express';

/** Who may reach a route: a name for listings and tests, and the middleware that enforces it. */
export interface Access {
  readonly name: string;
  readonly enforce: RequestHandler;
}

/** Routes anyone may reach; keep this list short (health checks only). */
export const publicAccess: Access = {
  name: 'public',
  enforce: (_req, _res, next) => next()
};

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** One route as declared: what the route-authorization tests enumerate. */
export interface DeclaredRoute {
  readonly method: HttpMethod;
  readonly path: string;
  readonly access: string;
}

/**
 * Registers routes on an express router so that every route names its access rule on its own
 * line, and records them, so tests can enumerate every route and prove none is left open.
 */
export class RouteTable {
  private readonly declared: DeclaredRoute[] = [];

  constructor(readonly router: Router) {}

  /** Every route declared so far. */
  get routes(): readonly DeclaredRoute[] {
    return this.declared;
  }

  get(path: string, access: Access, ...handlers: RequestHandler[]): this {
    return this.add('get', path, access, handlers);
  }

  post(path: string, access: Access, ...handlers: RequestHandler[]): this {
    return this.add('post', path, access, handlers);
  }

  put(path: string, access: Access, ...handlers: RequestHandler[]): this {
    return this.add('put', path, access, handlers);
  }

  patch(path: string, access: Access, ...handlers: RequestHandler[]): this {
    return this.add('patch', path, access, handlers);
  }

  delete(path: string, access: Access, ...handlers: RequestHandler[]): this {
    return this.add('delete', path, access, handlers);
  }

  private add(method: HttpMethod, path: string, access: Access, handlers: RequestHandler[]): this {
    this.router[method](path, access.enforce, ...handlers);
    this.declared.push({ method, path, access: access.name });
    return this;
  }
}
