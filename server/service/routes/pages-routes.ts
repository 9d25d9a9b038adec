import type { Request, Response } from 'express';
import type { Access, RouteTable } from '../../shared/route-table';
import type { Pages } from '../domain/pages';
import { projectOf } from './project-access';

/**
 * Every page is a sandboxed document: it runs as an opaque origin, so it can never read the
 * hub's cookies or storage, act as the hub's origin, or call an API (connect-src 'none'); it
 * cannot submit forms or navigate the page around it, and it sends no Referer.
 */
export const PAGES_SECURITY_HEADERS = {
  'Content-Security-Policy': [
    'sandbox allow-scripts allow-popups allow-popups-to-escape-sandbox',
    "default-src 'self' data: blob:",
    "script-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:",
    "style-src 'self' 'unsafe-inline' data:",
    "connect-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
    "frame-ancestors 'self'"
  ].join('; '),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'private, no-cache'
};

/** `/pages/{owner}/{name}/{path}`: a project's default branch as a static site. */
export function pagesRoutes(routes: RouteTable, pages: Pages, pagesReader: Access): void {
  const serve = async (req: Request, res: Response) => {
    const { path } = req.params as { path?: string[] };
    const askedForFolder = req.path.endsWith('/');
    res.set(PAGES_SECURITY_HEADERS);
    const answer = await pages.page(projectOf(res.locals), (path ?? []).filter(Boolean).join('/'), askedForFolder);
    if (answer.kind === 'folder-redirect') {
      // Relative, so it works behind any prefix (the service's, or a Jupyter server's proxy).
      // `./` first, so a folder named like `http:x` cannot read as a scheme.
      res.redirect(301, `./${req.path.split('/').pop() ?? ''}/`);
    } else if (answer.kind === 'html') {
      res.type('text/html; charset=utf-8').send(answer.html);
    } else {
      res.set({ 'Content-Type': answer.contentType, 'Content-Length': String(answer.blob.size), ETag: `"${answer.blob.id}"` });
      await answer.blob.send(res);
      res.end();
    }
  };
  routes.get('/pages/:owner/:name', pagesReader, serve);
  routes.get('/pages/:owner/:name/*path', pagesReader, serve);
}
