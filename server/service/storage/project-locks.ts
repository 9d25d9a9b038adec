// Pushes to one project take turns across every service process on the database: on PostgreSQL
// a session advisory lock per project, held around receive-pack and the recording of its events
// (replicas share the repository volume and the feed). SQLite is one process: its turns within
// the process (`Pushes`) are all there is. A replica that dies mid-push loses its session, and
// with it the lock, so the next push anywhere can go ahead and clear what it left.
import type pg from 'pg';

/** Any constant: the namespace of HubShare's per-project advisory locks (the first key). */
export const PUSH_LOCKS = 48_572_549;

export interface ProjectLocks {
  /** Runs `work` holding the project's lock across processes. */
  exclusive<T>(projectId: string, work: () => Promise<T>): Promise<T>;
}

/** SQLite: one process, whose own turns suffice. */
export const processLocks: ProjectLocks = { exclusive: (_projectId, work) => work() };

/**
 * PostgreSQL: the lock is its session's, so a connection is held for the whole turn — from a pool
 * of its own (`pool`), since the work inside needs the store's connections for its events: were
 * both the same pool, as many concurrent pushes as it has connections would wait on each other
 * for good. Two projects whose ids hash alike take turns too; that is all a collision costs.
 */
export function advisoryLocks(pool: pg.Pool): ProjectLocks {
  return {
    async exclusive(projectId, work) {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [PUSH_LOCKS, projectId]);
        try {
          return await work();
        } finally {
          await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [PUSH_LOCKS, projectId]).catch(() => {
            // A session that cannot unlock is closed: its locks go with it.
            broken = true;
          });
        }
      } finally {
        client.release(broken);
      }
    }
  };
}
