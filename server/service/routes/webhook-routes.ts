import type { Response } from 'express';
import type { Access, RouteTable } from '../../shared/route-table';
import { callerOf } from '../authentication';
import type { Level } from '../domain/levels';
import type { Teams } from '../domain/teams';
import type { Webhooks } from '../domain/webhooks';
import type { WebhookOwner } from '../storage/webhooks-store';
import { projectOf } from './project-access';

/**
 * Webhooks of a project (`/api/v1/projects/{owner}/{name}/webhooks…`, project admins) and of a
 * team (`/api/v1/teams/{team}/webhooks…`: signed in, then Teams lets its maintainers and hub
 * admins through, as it does for every other change to a team).
 */
export function webhookRoutes(
  routes: RouteTable,
  webhooks: Webhooks,
  teams: Teams,
  access: { signedIn: Access; need: (level: Level) => Access }
): void {
  const { signedIn, need } = access;
  const project = '/api/v1/projects/:owner/:name/webhooks';
  const ofProject = (res: Response): WebhookOwner => ({ projectId: projectOf(res.locals).project.id });

  routes.get(project, need('admin'), async (_req, res) => {
    res.json({ webhooks: await webhooks.list(ofProject(res)) });
  });
  routes.post(project, need('admin'), async (req, res) => {
    res.status(201).json(await webhooks.create(callerOf(res.locals), ofProject(res), req.body));
  });
  routes.delete(`${project}/:id`, need('admin'), async (req, res) => {
    await webhooks.delete(ofProject(res), req.params.id);
    res.status(204).end();
  });
  routes.get(`${project}/:id/deliveries`, need('admin'), async (req, res) => {
    res.json({ deliveries: await webhooks.deliveries(ofProject(res), req.params.id) });
  });

  const team = '/api/v1/teams/:team/webhooks';
  const ofTeam = async (res: Response, rawTeam: unknown): Promise<WebhookOwner> => ({
    teamId: (await teams.requireMaintained(callerOf(res.locals), rawTeam)).id
  });

  routes.get(team, signedIn, async (req, res) => {
    res.json({ webhooks: await webhooks.list(await ofTeam(res, req.params.team)) });
  });
  routes.post(team, signedIn, async (req, res) => {
    res.status(201).json(await webhooks.create(callerOf(res.locals), await ofTeam(res, req.params.team), req.body));
  });
  routes.delete(`${team}/:id`, signedIn, async (req, res) => {
    await webhooks.delete(await ofTeam(res, req.params.team), req.params.id);
    res.status(204).end();
  });
  routes.get(`${team}/:id/deliveries`, signedIn, async (req, res) => {
    res.json({ deliveries: await webhooks.deliveries(await ofTeam(res, req.params.team), req.params.id) });
  });
}
