import type { Request } from 'express';
import { contentType } from 'mime-types';
import type { Access, RouteTable } from '../../shared/route-table';
import type { Browse } from '../domain/browse';
import type { Level } from '../domain/levels';
import { projectOf } from './project-access';

/** Express 5 gives a `*path` wildcard as its decoded segments. */
function wildcardPath(req: Request): string {
  const { path } = req.params as { path?: string | string[] };
  return Array.isArray(path) ? path.join('/') : (path ?? '');
}

/** Whether an If-None-Match header names this entity tag (or `*`). */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) {
    return false;
  }
  return header.split(',').some(tag => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed === etag || trimmed === `W/${etag}`;
  });
}

/**
 * Headers for raw file bytes: a file is data, never a page of this origin, even if it is HTML
 * and someone opens its URL — hence the sandbox and nosniff.
 */
const RAW_FILE_HEADERS = {
  'Content-Security-Policy': "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'",
  'X-Content-Type-Options': 'nosniff',
  // Cached copies are revalidated, so access is checked again on every use.
  'Cache-Control': 'private, no-cache'
};

/** `/api/v1/projects/{owner}/{name}/(refs|tree|blob|log|diff)`: pushed content, without a pull. */
export function browseRoutes(routes: RouteTable, browse: Browse, need: (level: Level) => Access): void {
  const one = '/api/v1/projects/:owner/:name';

  routes.get(`${one}/refs`, need('read'), async (_req, res) => {
    res.json(await browse.refs(projectOf(res.locals)));
  });
  routes.get(`${one}/tree/:ref`, need('read'), async (req, res) => {
    res.json(await browse.tree(projectOf(res.locals), req.params.ref, ''));
  });
  routes.get(`${one}/tree/:ref/*path`, need('read'), async (req, res) => {
    res.json(await browse.tree(projectOf(res.locals), req.params.ref, wildcardPath(req)));
  });
  routes.get(`${one}/blob/:ref/*path`, need('read'), async (req, res) => {
    const blob = await browse.blob(projectOf(res.locals), req.params.ref, wildcardPath(req));
    const etag = `"${blob.id}"`;
    res.set({ ...RAW_FILE_HEADERS, ETag: etag });
    if (matchesEtag(req.get('If-None-Match'), etag)) {
      res.status(304).end();
      return;
    }
    res.set({ 'Content-Type': contentType(blob.name) || 'application/octet-stream', 'Content-Length': String(blob.size) });
    await blob.send(res);
    res.end();
  });
  routes.get(`${one}/log`, need('read'), async (req, res) => {
    const { ref, path, limit, cursor } = req.query;
    res.json(await browse.log(projectOf(res.locals), { ref, path, limit, cursor }));
  });
  routes.get(`${one}/diff`, need('read'), async (req, res) => {
    const { from, to, path } = req.query;
    res.json(await browse.diff(projectOf(res.locals), { from, to, path }));
  });
}
