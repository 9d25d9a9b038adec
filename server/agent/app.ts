import express, { type Express } from 'express';
import { errorHandler, notFoundHandler } from '../shared/http-errors';
import { RouteTable } from '../shared/route-table';
import { proxiedFromJupyter } from './access';
import { statusRoutes } from './routes/status';
import type { ServiceClient } from './service-client';

export interface AgentDependencies {
  rootDir: string;
  proxySecret: string;
  service: ServiceClient;
  log?: (message: string) => void;
}

/**
 * Builds the per-user agent's HTTP app. The server extension proxies `/hubshare/<path>` here as
 * `/<path>`, so routes are declared without the `/hubshare` prefix.
 */
export function createAgentApp(deps: AgentDependencies): { app: Express; routes: RouteTable } {
  const app = express();
  app.disable('x-powered-by');
  const router = express.Router();
  router.use(express.json({ limit: '1mb' }));
  const routes = new RouteTable(router);
  const proxied = proxiedFromJupyter(deps.proxySecret);

  statusRoutes(routes, proxied, { rootDir: deps.rootDir, service: deps.service });

  app.use(router);
  app.use(notFoundHandler);
  app.use(errorHandler(deps.log));
  return { app, routes };
}
