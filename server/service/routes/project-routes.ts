import { BadRequest } from '../../shared/errors';
import type { Access, RouteTable } from '../../shared/route-table';
import { callerOf } from '../authentication';
import { parseLevel, type Level } from '../domain/levels';
import { bodyObject, parsePage, type ProjectScope, type Projects } from '../domain/projects';
import { projectOf } from './project-access';

function parseScope(raw: unknown): ProjectScope {
  if (raw === undefined || raw === 'all' || raw === 'mine' || raw === 'shared') {
    return raw ?? 'all';
  }
  throw new BadRequest('"scope" must be "mine", "shared" or "all".', 'invalid_scope');
}

function levelFromBody(body: unknown): Level {
  return parseLevel(bodyObject(body, ['level']).level);
}

/** `/api/v1/projects…`: projects and their grants. */
export function projectRoutes(
  routes: RouteTable,
  projects: Projects,
  access: { signedIn: Access; need: (level: Level) => Access }
): void {
  const { signedIn, need } = access;
  const base = '/api/v1/projects';
  const one = `${base}/:owner/:name`;

  routes.get(base, signedIn, async (req, res) => {
    res.json(await projects.list(callerOf(res.locals), parseScope(req.query.scope), parsePage(req.query)));
  });
  // Where the main branch of each named project is, for agents deciding whether to fetch.
  routes.post(`${base}/heads`, signedIn, async (req, res) => {
    res.json(await projects.heads(callerOf(res.locals), req.body));
  });
  routes.post(base, signedIn, async (req, res) => {
    res.status(201).json(await projects.create(callerOf(res.locals), req.body));
  });
  routes.get(one, need('read'), (_req, res) => {
    const { project, level } = projectOf(res.locals);
    res.json(projects.view(project, level));
  });
  routes.patch(one, need('admin'), async (req, res) => {
    res.json(await projects.update(callerOf(res.locals), projectOf(res.locals), req.body));
  });
  routes.delete(one, need('admin'), async (_req, res) => {
    await projects.delete(callerOf(res.locals), projectOf(res.locals));
    res.status(204).end();
  });

  routes.get(`${one}/grants`, need('read'), async (_req, res) => {
    res.json(await projects.grants(projectOf(res.locals)));
  });
  routes.put(`${one}/grants/users/:user`, need('admin'), async (req, res) => {
    await projects.grantUser(callerOf(res.locals), projectOf(res.locals), req.params.user, levelFromBody(req.body));
    res.json(await projects.grants(projectOf(res.locals)));
  });
  routes.delete(`${one}/grants/users/:user`, need('admin'), async (req, res) => {
    await projects.revokeUser(callerOf(res.locals), projectOf(res.locals), req.params.user);
    res.status(204).end();
  });
  routes.put(`${one}/grants/teams/:team`, need('admin'), async (req, res) => {
    await projects.grantTeam(callerOf(res.locals), projectOf(res.locals), req.params.team, levelFromBody(req.body));
    res.json(await projects.grants(projectOf(res.locals)));
  });
  routes.delete(`${one}/grants/teams/:team`, need('admin'), async (req, res) => {
    await projects.revokeTeam(callerOf(res.locals), projectOf(res.locals), req.params.team);
    res.status(204).end();
  });
}
