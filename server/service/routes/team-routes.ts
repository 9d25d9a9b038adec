import type { Access, RouteTable } from '../../shared/route-table';
import { callerOf } from '../authentication';
import { parseListing } from '../domain/paging';
import type { Teams } from '../domain/teams';

/**
 * `/api/v1/teams…`. Every signed-in user may see teams and create one; who may change a team
 * (its maintainers, hub admins) is decided by the Teams domain, which knows the team's members.
 */
export function teamRoutes(routes: RouteTable, teams: Teams, signedIn: Access): void {
  const base = '/api/v1/teams';
  routes.get(base, signedIn, async (req, res) => {
    res.json(await teams.list(parseListing(req.query, 1)));
  });
  routes.post(base, signedIn, async (req, res) => {
    res.status(201).json(await teams.create(callerOf(res.locals), req.body));
  });
  routes.get(`${base}/:team`, signedIn, async (req, res) => {
    res.json(await teams.get(req.params.team));
  });
  routes.patch(`${base}/:team`, signedIn, async (req, res) => {
    res.json(await teams.update(callerOf(res.locals), req.params.team, req.body));
  });
  routes.delete(`${base}/:team`, signedIn, async (req, res) => {
    await teams.delete(callerOf(res.locals), req.params.team);
    res.status(204).end();
  });
  routes.put(`${base}/:team/members/:user`, signedIn, async (req, res) => {
    res.json(await teams.putMember(callerOf(res.locals), req.params.team, req.params.user, req.body));
  });
  routes.delete(`${base}/:team/members/:user`, signedIn, async (req, res) => {
    await teams.deleteMember(callerOf(res.locals), req.params.team, req.params.user);
    res.status(204).end();
  });
}
