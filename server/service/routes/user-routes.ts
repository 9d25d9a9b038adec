import type { Access, RouteTable } from '../../shared/route-table';
import { callerOf } from '../authentication';
import type { Teams } from '../domain/teams';

/** `GET /api/v1/user`: who the token belongs to, and their teams. */
export function userRoutes(routes: RouteTable, signedIn: Access, teams: Teams): void {
  routes.get('/api/v1/user', signedIn, async (_req, res) => {
    const caller = callerOf(res.locals);
    res.json({ name: caller.name, admin: caller.admin, teams: await teams.namesOf(caller) });
  });
}
