import type { Access, RouteTable } from '../../shared/route-table';
import { version } from '../../shared/version';
import type { ServiceClient } from '../service-client';

/** `GET /api/status`: the agent's version, the folder it serves, and its link to the service. */
export function statusRoutes(routes: RouteTable, access: Access, deps: { rootDir: string; service: ServiceClient }): void {
  routes.get('/api/status', access, async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    res.json({ version, rootDir: deps.rootDir, pid: process.pid, service: await deps.service.status() });
  });
}
