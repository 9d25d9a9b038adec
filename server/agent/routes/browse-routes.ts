import type { Request, Response } from 'express';
import { parseProjectName, parseUserName } from '../../shared/names';
import { parseRef, parseRepoPath } from '../../shared/repo-paths';
import type { Access, RouteTable } from '../../shared/route-table';
import type { PageLinks } from '../page-links';
import { forwardToService } from '../service-forward';
import type { ServiceClient } from '../service-client';

/**
 * The `*path` wildcard, validated (no `.` or `..`, which a URL would resolve) and each segment
 * encoded again for the service's URL.
 */
function encodedRest(req: Request): string {
  const { path } = req.params as { path?: string[] };
  const parsed = parseRepoPath((path ?? []).join('/'));
  return parsed ? parsed.split('/').map(encodeURIComponent).join('/') : '';
}

function encodedRef(req: Request): string {
  return encodeURIComponent(parseRef(req.params.ref));
}

/** `owner/name` from the path, validated before it goes into the service's URL. */
function project(req: Request): string {
  return `${parseUserName(req.params.owner)}/${parseProjectName(req.params.name)}`;
}

/**
 * Looking without pulling: `/api/browse/{owner}/{name}/…` forwards to the service's browse API;
 * `/pages/{owner}/{name}/…` sends the browser on to a signed page link, `/view/{link}/…`, whose
 * requests the service answers with the project's pages (see page-links.ts for why).
 */
export function browseRoutes(
  routes: RouteTable,
  access: { proxied: Access; pageLink: Access },
  deps: { service: ServiceClient; links: PageLinks }
): void {
  const browse = '/api/browse/:owner/:name';
  const forward = (servicePath: (req: Request) => string) => async (req: Request, res: Response) => {
    await forwardToService(deps.service.connection(), servicePath(req), req, res);
  };
  const api = (req: Request, rest: string) => `/api/v1/projects/${project(req)}/${rest}`;

  routes.get(`${browse}/refs`, access.proxied, forward(req => api(req, 'refs')));
  routes.get(`${browse}/log`, access.proxied, forward(req => api(req, 'log')));
  routes.get(`${browse}/diff`, access.proxied, forward(req => api(req, 'diff')));
  routes.get(`${browse}/tree/:ref`, access.proxied, forward(req => api(req, `tree/${encodedRef(req)}`)));
  routes.get(`${browse}/tree/:ref/*path`, access.proxied, forward(req => api(req, `tree/${encodedRef(req)}/${encodedRest(req)}`)));
  routes.get(`${browse}/blob/:ref/*path`, access.proxied, forward(req => api(req, `blob/${encodedRef(req)}/${encodedRest(req)}`)));

  const toPageLink = (req: Request, res: Response) => {
    const [owner, name] = project(req).split('/');
    // Relative: up to `…/hubshare/`, whatever prefix the Jupyter server has, then into the link.
    const rest = req.path.slice('/pages/'.length);
    const up = '../'.repeat(rest.split('/').length);
    res.set('Cache-Control', 'no-store');
    res.redirect(302, `${up}view/${deps.links.issue(owner, name)}/${rest}`);
  };
  routes.get('/pages/:owner/:name', access.proxied, toPageLink);
  routes.get('/pages/:owner/:name/*path', access.proxied, toPageLink);

  const view = (req: Request) => {
    const rest = encodedRest(req);
    return `/pages/${project(req)}${rest ? `/${rest}` : ''}${req.path.endsWith('/') ? '/' : ''}`;
  };
  routes.get('/view/:link/:owner/:name', access.pageLink, forward(view));
  routes.get('/view/:link/:owner/:name/*path', access.pageLink, forward(view));
}
