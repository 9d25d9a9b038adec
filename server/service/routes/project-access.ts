import type { Request } from 'express';
import { BadRequest } from '../../shared/errors';
import type { Access } from '../../shared/route-table';
import { authenticate, type IdentityProvider } from '../authentication';
import type { Level } from '../domain/levels';
import type { Projects, ReadableProject } from '../domain/projects';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** Set by a project access rule: the project and the caller's level on it. */
      project?: ReadableProject;
    }
  }
}

/** Where a route finds the project it acts on: `:owner/:name`, or `:owner/:repo` ending in `.git`. */
function projectParams(req: Request): { owner: unknown; name: unknown } {
  const { owner, name, repo } = req.params as Record<string, string | undefined>;
  if (repo !== undefined) {
    if (!repo.endsWith('.git')) {
      throw new BadRequest('Repository URLs end in ".git": /git/OWNER/NAME.git');
    }
    return { owner, name: repo.slice(0, -'.git'.length) };
  }
  return { owner, name };
}

/**
 * Access rules for project routes: the caller is signed in and holds at least a level on the
 * project named in the path (404 when they cannot even read it, 403 when they need more).
 */
export function projectAccessRules(identity: IdentityProvider, projects: Projects) {
  const rule = (name: string, neededFor: (req: Request) => Level): Access => ({
    name,
    enforce: async (req, res, next) => {
      const caller = await authenticate(req, res, identity);
      const { owner, name: projectName } = projectParams(req);
      res.locals.project = await projects.require(caller, owner, projectName, neededFor(req));
      next();
    }
  });
  return {
    /** At least `level` on the project. */
    need: (level: Level) => rule(`project:${level}`, () => level),
    /** A project's static pages: on, and open to the hub or readable by the caller. */
    pagesReader: {
      name: 'pages:hub-or-project-read',
      enforce: async (req, res, next) => {
        const caller = await authenticate(req, res, identity);
        res.locals.project = await projects.requirePages(caller, req.params.owner, req.params.name);
        next();
      }
    } satisfies Access,
    /** git's ref advertisement: read to fetch, write to push (the `service` query decides). */
    gitAdvertisement: rule('project:read-or-write-by-git-service', req =>
      req.query.service === 'git-receive-pack' ? 'write' : 'read'
    )
  };
}

/** The project a project access rule found. @throws Error if the route forgot its rule. */
export function projectOf(locals: { project?: ReadableProject }): ReadableProject {
  if (!locals.project) {
    throw new Error('a project route ran without its project access rule');
  }
  return locals.project;
}
