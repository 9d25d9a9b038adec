import express, { type Express } from 'express';
import { errorHandler, notFoundHandler } from '../shared/http-errors';
import { RouteTable } from '../shared/route-table';
import { signedIn, type IdentityProvider } from './authentication';
import { healthRoutes } from './routes/health';
import { userRoutes } from './routes/user-routes';
import type { Database } from './storage/database';

export interface ServiceDependencies {
  db: Database;
  identity: IdentityProvider;
  log?: (message: string) => void;
}

/** Builds the HubShare service's HTTP app from its dependencies; `main` only configures and listens. */
export function createServiceApp(deps: ServiceDependencies): { app: Express; routes: RouteTable } {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  const router = express.Router();
  router.use(express.json({ limit: '1mb' }));
  const routes = new RouteTable(router);
  const caller = signedIn(deps.identity);

  healthRoutes(routes, deps.db);
  userRoutes(routes, caller);

  app.use(router);
  app.use(notFoundHandler);
  app.use(errorHandler(deps.log));
  return { app, routes };
}
