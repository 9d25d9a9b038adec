import { realpathSync } from 'node:fs';
import { BadRequest, HubShareError } from '../../shared/errors';
import type { Access, RouteTable } from '../../shared/route-table';
import { Checkouts } from '../checkouts/checkouts';
import { checkoutSource, findCheckoutsUnder, pullInProgress } from '../checkouts/layout';
import type { GitProgress } from '../git/git-runner';
import { relativeToRoot, resolveInRoot } from '../paths';
import { answerWithProgress } from '../progress-stream';
import { callService, type ServiceClient } from '../service-client';

/** A string field of the body that may be left out. @throws BadRequest when present but not a string. */
function optionalString(body: unknown, name: string): string | undefined {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  if (value !== undefined && typeof value !== 'string') {
    throw new BadRequest(`"${name}" must be a string.`);
  }
  return value;
}

/** A string field of the body that must be there. @throws BadRequest otherwise. */
function requiredString(body: unknown, name: string): string {
  const value = optionalString(body, name);
  if (value === undefined) {
    throw new BadRequest(`"${name}" must be a string.`);
  }
  return value;
}

/**
 * `/api/checkouts…` and `/api/projects`: what the Projects panel does, with the same code as the
 * `hubshare` CLI. Paths are relative to Jupyter's root and never leave it.
 */
export function checkoutRoutes(
  routes: RouteTable,
  access: Access,
  deps: { rootDir: string; service: ServiceClient; allowHttpLoopback?: boolean; log: (message: string) => void }
): void {
  const checkouts = async (onProgress?: (event: GitProgress) => void) =>
    new Checkouts(await deps.service.target(), { allowHttpLoopback: deps.allowHttpLoopback, onProgress, ceiling: realpathSync(deps.rootDir) });
  const folder = (raw: unknown) => resolveInRoot(deps.rootDir, raw);

  routes.get('/api/projects', access, async (req, res) => {
    // The service knows who asks: no need to ask it first (the panel lists every 30 s).
    const target = deps.service.connection();
    // The listing's own parameters go through as they came; the service validates them.
    const query = new URLSearchParams({ scope: typeof req.query.scope === 'string' ? req.query.scope : 'all' });
    for (const name of ['limit', 'cursor', 'q']) {
      const value = req.query[name];
      if (typeof value === 'string') {
        query.set(name, value);
      }
    }
    res.json(await callService(target, 'GET', `/projects?${query.toString()}`));
  });
  routes.get('/api/checkouts', access, (_req, res) => {
    res.json({
      checkouts: findCheckoutsUnder(deps.rootDir).map(root => ({
        path: relativeToRoot(deps.rootDir, root),
        source: checkoutSource(root),
        conflicted: pullInProgress(root)
      }))
    });
  });
  routes.get('/api/checkouts/status', access, async (req, res) => {
    const status = await (await checkouts()).status(folder(req.query.path));
    res.json({ ...status, root: relativeToRoot(deps.rootDir, status.root) });
  });
  // Every checkout's status at once: one request to the service for where their projects
  // stand, and a fetch only for those that moved (the panel's status cadence).
  routes.get('/api/checkouts/statuses', access, async (_req, res) => {
    const answers = await (await checkouts()).statuses(findCheckoutsUnder(deps.rootDir));
    res.json({
      statuses: answers.map(({ root, status, error }) => {
        const path = relativeToRoot(deps.rootDir, root);
        if (status) {
          return { path, status: { ...status, root: path } };
        }
        if (error instanceof HubShareError) {
          return { path, error: { code: error.code, message: error.message } };
        }
        deps.log(`status of ${path} failed: ${error instanceof Error ? error.message : String(error)}`);
        return { path, error: { code: 'internal', message: 'The status could not be read; see the agent log.' } };
      })
    });
  });
  // One side of a conflicted file, as bytes, for the conflict picker's previews.
  for (const side of ['mine', 'theirs'] as const) {
    routes.get(`/api/checkouts/${side}`, access, async (req, res) => {
      const file = req.query.file;
      if (typeof file !== 'string' || file.length === 0) {
        throw new BadRequest('"file" must name a conflicted file.');
      }
      // Read first: an error must still answer as JSON, which it would not once the type is set.
      const bytes = await (await checkouts()).version(folder(req.query.path), file, side);
      res.type('application/octet-stream').send(bytes);
    });
  }
  // The long operations stream their progress to clients that ask for NDJSON.
  routes.post('/api/checkouts/publish', access, (req, res) =>
    answerWithProgress(req, res, deps.log, async onProgress => {
      const visibility = optionalString(req.body, 'visibility');
      if (visibility !== undefined && visibility !== 'private' && visibility !== 'hub') {
        throw new BadRequest('"visibility" must be "private" or "hub".');
      }
      const project = await (await checkouts(onProgress)).publish(folder(requiredString(req.body, 'path')), {
        name: optionalString(req.body, 'name'),
        visibility,
        message: optionalString(req.body, 'message')
      });
      return { status: 201, body: project };
    })
  );
  routes.post('/api/checkouts/checkout', access, (req, res) =>
    answerWithProgress(req, res, deps.log, async onProgress => {
      const root = await (await checkouts(onProgress)).checkout(requiredString(req.body, 'project'), folder(requiredString(req.body, 'path')));
      return { status: 201, body: { path: relativeToRoot(deps.rootDir, root) } };
    })
  );
  routes.post('/api/checkouts/clone', access, (req, res) =>
    answerWithProgress(req, res, deps.log, async onProgress => {
      const root = await (await checkouts(onProgress)).clone(requiredString(req.body, 'url'), folder(requiredString(req.body, 'path')));
      return { status: 201, body: { path: relativeToRoot(deps.rootDir, root) } };
    })
  );
  routes.post('/api/checkouts/push', access, (req, res) =>
    answerWithProgress(req, res, deps.log, async onProgress => ({
      status: 200,
      body: await (await checkouts(onProgress)).push(folder(requiredString(req.body, 'path')), optionalString(req.body, 'message'))
    }))
  );
  routes.post('/api/checkouts/pull', access, (req, res) =>
    answerWithProgress(req, res, deps.log, async onProgress => ({
      status: 200,
      body: await (await checkouts(onProgress)).pull(folder(requiredString(req.body, 'path')))
    }))
  );
  routes.post('/api/checkouts/resolve', access, async (req, res) => {
    const body = (req.body ?? {}) as { files?: unknown; side?: unknown };
    if (body.side !== 'mine' && body.side !== 'theirs') {
      throw new BadRequest('"side" must be "mine" or "theirs".');
    }
    const files = body.files === 'all' ? 'all' : Array.isArray(body.files) && body.files.every(f => typeof f === 'string') ? (body.files as string[]) : undefined;
    if (files === undefined) {
      throw new BadRequest('"files" must be a list of file paths, or "all".');
    }
    res.json({ conflicts: await (await checkouts()).resolve(folder(requiredString(req.body, 'path')), files, body.side) });
  });
  // The parts (cells, hunks) of a waiting file, and a pick for one of them.
  routes.get('/api/checkouts/parts', access, async (req, res) => {
    const file = req.query.file;
    if (typeof file !== 'string' || file.length === 0) {
      throw new BadRequest('"file" must name a conflicted file.');
    }
    res.json(await (await checkouts()).parts(folder(req.query.path), file));
  });
  routes.post('/api/checkouts/resolve-part', access, async (req, res) => {
    const side = optionalString(req.body, 'side');
    if (side !== 'mine' && side !== 'theirs') {
      throw new BadRequest('"side" must be "mine" or "theirs".');
    }
    const conflicts = await (await checkouts()).resolvePart(folder(requiredString(req.body, 'path')), requiredString(req.body, 'file'), requiredString(req.body, 'part'), side);
    res.json({ conflicts });
  });
  routes.post('/api/checkouts/continue', access, async (req, res) => {
    await (await checkouts()).continue(folder(requiredString(req.body, 'path')));
    res.json({ done: true });
  });
  routes.post('/api/checkouts/abort', access, async (req, res) => {
    await (await checkouts()).abort(folder(requiredString(req.body, 'path')));
    res.json({ done: true });
  });
}

