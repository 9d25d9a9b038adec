import express, { type Express } from 'express';
import { errorHandler, notFoundHandler } from './http-errors';
import { RouteTable } from './route-table';

/**
 * The frame both HubShare HTTP apps share: JSON bodies, routes declared through a `RouteTable`,
 * a JSON 404 for anything else, and the one error handler. `basePath` mounts the routes under a
 * prefix (JupyterHub routes `/services/<name>/…` to a service without stripping it).
 */
export function createJsonApp(
  declareRoutes: (routes: RouteTable) => void,
  options: { log?: (message: string) => void; configure?: (app: Express) => void; basePath?: string } = {}
): { app: Express; routes: RouteTable } {
  const app = express();
  app.disable('x-powered-by');
  options.configure?.(app);
  const router = express.Router();
  router.use(express.json({ limit: '1mb' }));
  const routes = new RouteTable(router);
  declareRoutes(routes);
  app.use(options.basePath ?? '/', router);
  app.use(notFoundHandler);
  app.use(errorHandler(options.log));
  return { app, routes };
}
