import type { Express } from 'express';
import { createJsonApp } from '../shared/json-app';
import type { RouteTable } from '../shared/route-table';
import { signedIn, type IdentityProvider } from './authentication';
import { healthRoutes } from './routes/health';
import { userRoutes } from './routes/user-routes';
import type { Engine, Store } from './storage/open-store';

export interface ServiceDependencies {
  db: Store;
  engine: Engine;
  identity: IdentityProvider;
  log?: (message: string) => void;
}

/** Builds the HubShare service's HTTP app from its dependencies; `main` only configures and listens. */
export function createServiceApp(deps: ServiceDependencies): { app: Express; routes: RouteTable } {
  const caller = signedIn(deps.identity);
  return createJsonApp(
    routes => {
      healthRoutes(routes, deps);
      userRoutes(routes, caller);
    },
    { log: deps.log, configure: app => app.set('trust proxy', 'loopback') }
  );
}
