import type { Access, RouteTable } from '../../shared/route-table';
import { callerOf } from '../authentication';

/** `GET /api/v1/user`: who the token belongs to. */
export function userRoutes(routes: RouteTable, signedIn: Access): void {
  routes.get('/api/v1/user', signedIn, (_req, res) => {
    const caller = callerOf(res.locals);
    res.json({ name: caller.name, admin: caller.admin });
  });
}
