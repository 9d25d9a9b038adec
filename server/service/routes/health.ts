import { sql } from 'kysely';
import { publicAccess, type RouteTable } from '../../shared/route-table';
import { version } from '../../shared/version';
import type { ServiceData } from '../data-dir';

/** `GET /health`: the one public route, for load balancers, JupyterHub and the agent. */
export function healthRoutes(routes: RouteTable, deps: Pick<ServiceData, 'db' | 'engine'>): void {
  routes.get('/health', publicAccess, async (_req, res) => {
    await sql`SELECT 1`.execute(deps.db);
    res.json({ status: 'ok', version, database: deps.engine });
  });
}
