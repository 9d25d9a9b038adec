import type { Request, Response } from 'express';
import { parseProjectName, parseTeamName, parseUserName } from '../../shared/names';
import type { Access, RouteTable } from '../../shared/route-table';
import { forwardToService } from '../service-forward';
import type { ServiceClient } from '../service-client';

/**
 * Sharing from JupyterLab: a project's settings and grants, and teams, forwarded to the service
 * as the signed-in user (the service decides who may do what). Names are validated before they
 * go into the service's URL.
 */
export function sharingRoutes(routes: RouteTable, access: Access, deps: { service: ServiceClient }): void {
  const forward = (servicePath: (req: Request) => string) => async (req: Request, res: Response) => {
    await forwardToService(deps.service.connection(), `/api/v1${servicePath(req)}`, req, res);
  };
  const project = (req: Request) => `/projects/${parseUserName(req.params.owner)}/${parseProjectName(req.params.name)}`;
  const team = (req: Request) => `/teams/${parseTeamName(req.params.team)}`;

  const one = '/api/projects/:owner/:name';
  routes.get(one, access, forward(project));
  routes.patch(one, access, forward(project));
  routes.get(`${one}/grants`, access, forward(req => `${project(req)}/grants`));
  routes.put(`${one}/grants/users/:user`, access, forward(req => `${project(req)}/grants/users/${parseUserName(req.params.user)}`));
  routes.delete(`${one}/grants/users/:user`, access, forward(req => `${project(req)}/grants/users/${parseUserName(req.params.user)}`));
  routes.put(`${one}/grants/teams/:team`, access, forward(req => `${project(req)}/grants/teams/${parseTeamName(req.params.team)}`));
  routes.delete(`${one}/grants/teams/:team`, access, forward(req => `${project(req)}/grants/teams/${parseTeamName(req.params.team)}`));

  routes.get('/api/teams', access, forward(() => '/teams'));
  routes.post('/api/teams', access, forward(() => '/teams'));
  routes.get('/api/teams/:team', access, forward(team));
  routes.patch('/api/teams/:team', access, forward(team));
  routes.delete('/api/teams/:team', access, forward(team));
  routes.put('/api/teams/:team/members/:user', access, forward(req => `${team(req)}/members/${parseUserName(req.params.user)}`));
  routes.delete('/api/teams/:team/members/:user', access, forward(req => `${team(req)}/members/${parseUserName(req.params.user)}`));
}
