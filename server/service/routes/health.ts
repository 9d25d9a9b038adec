import type { Database } from '../storage/database';
import { publicAccess, type RouteTable } from '../../shared/route-table';
import { version } from '../../shared/version';

/** `GET /health`: the one public route, for load balancers, JupyterHub and the agent. */
export function healthRoutes(routes: RouteTable, db: Database): void {
  routes.get('/health', publicAccess, async (_req, res) => {
    await db.first('SELECT 1 AS ok');
    res.json({ status: 'ok', version, database: db.engine });
  });
}
