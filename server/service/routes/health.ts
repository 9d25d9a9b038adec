import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import { HubShareError } from '../../shared/errors';
import { publicAccess, type RouteTable } from '../../shared/route-table';
import { version } from '../../shared/version';
import type { ServiceData } from '../data-dir';

/** How long /ready waits for the database before it says it cannot reach it. */
const READY_TIMEOUT_MS = 2_000;

function withinDeadline<T>(work: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    work,
    new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error(`${what} did not answer within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS).unref())
  ]);
}

/**
 * `GET /health`: alive (the process serves HTTP), for load balancers, JupyterHub and the agent,
 * and a liveness probe: it asks nothing of the database, so an outage does not get every replica
 * restarted. `GET /ready`: the database answers and the data directory takes a write, for a
 * readiness probe (503 with what failed, otherwise). Both public.
 */
export function healthRoutes(routes: RouteTable, deps: Pick<ServiceData, 'db' | 'engine' | 'repositoriesDir'>): void {
  routes.get('/health', publicAccess, (_req, res) => {
    res.json({ status: 'ok', version, database: deps.engine });
  });
  routes.get('/ready', publicAccess, async (_req, res) => {
    const problems: string[] = [];
    await withinDeadline(sql`SELECT 1`.execute(deps.db), 'the database').catch((error: unknown) => {
      problems.push(`the ${deps.engine} database cannot be reached (${error instanceof Error ? error.message : String(error)})`);
    });
    const probe = join(deps.repositoriesDir, `.ready-${process.pid}-${randomBytes(4).toString('hex')}`);
    await withinDeadline(writeFile(probe, ''), 'the data directory')
      .then(() => rm(probe, { force: true }))
      .catch((error: unknown) => {
        problems.push(`the data directory cannot be written (${error instanceof Error ? (error as NodeJS.ErrnoException).code ?? error.message : String(error)})`);
      });
    if (problems.length > 0) {
      throw new HubShareError(503, 'not_ready', `Not ready: ${problems.join('; ')}.`);
    }
    res.json({ status: 'ready', version, database: deps.engine });
  });
}
