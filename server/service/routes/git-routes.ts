import type { Request, Response } from 'express';
import type { Access, RouteTable } from '../../shared/route-table';
import { callerOf } from '../authentication';
import type { Level } from '../domain/levels';
import type { Pushes } from '../domain/pushes';
import type { GitRunner } from '../git/git-runner';
import { gitServiceOf, serveGitHttp, type GitService } from '../git/http-backend';
import type { ServiceMetrics } from '../metrics';
import { projectOf } from './project-access';

/** How much a git request body may carry. */
export interface GitLimits {
  /** Largest push (receive-pack body), in bytes. */
  maxPushBytes: number;
  /** Largest fetch negotiation (upload-pack body), in bytes. */
  maxFetchRequestBytes: number;
}

/**
 * git's smart HTTP at `/git/{owner}/{name}.git`: authorization is checked on the ref
 * advertisement AND on each upload-pack / receive-pack POST, so a push is re-checked at the
 * moment it is sent. A receive-pack is served through `Pushes`, which records what it changed.
 */
export function gitRoutes(
  routes: RouteTable,
  deps: { git: GitRunner; repositoriesDir: string; limits: GitLimits; pushes: Pushes; log: (m: string) => void; metrics: ServiceMetrics },
  access: { need: (level: Level) => Access; gitAdvertisement: Access }
): void {
  const base = '/git/:owner/:repo';
  const serve = (endpoint: 'info/refs' | GitService) => async (req: Request, res: Response) => {
    const started = process.hrtime.bigint();
    const transfer = await serveGitHttp(deps.git, req, res, {
      repositoriesDir: deps.repositoriesDir,
      projectId: projectOf(res.locals).project.id,
      endpoint,
      userName: callerOf(res.locals).name,
      maxBodyBytes: endpoint === 'git-receive-pack' ? deps.limits.maxPushBytes : deps.limits.maxFetchRequestBytes,
      log: deps.log
    });
    deps.metrics.git(gitServiceOf(req, endpoint), transfer, Number(process.hrtime.bigint() - started) / 1e9);
  };
  const receive = serve('git-receive-pack');
  routes.get(`${base}/info/refs`, access.gitAdvertisement, serve('info/refs'));
  routes.post(`${base}/git-upload-pack`, access.need('read'), serve('git-upload-pack'));
  routes.post(`${base}/git-receive-pack`, access.need('write'), async (req, res) => {
    await deps.pushes.recording(callerOf(res.locals), projectOf(res.locals).project, () => receive(req, res));
  });
}
