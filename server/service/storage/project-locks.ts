// Pushes to one project take turns across every service process on the database: on PostgreSQL
// a session advisory lock per project, held around receive-pack and the recording of its events
// (replicas share the repository volume and the feed). SQLite is one process: its turns within
// the process (`Pushes`) are all there is. A replica that dies mid-push loses its session, and
// with it the lock, so the next push anywhere can go ahead and clear what it left.
import { sql } from 'kysely';
import type { Engine, Store } from './open-store';

/** Any constant: the namespace of HubShare's per-project advisory locks (the first key). */
const PUSH_LOCKS = 48_572_549;

export interface ProjectLocks {
  /** Runs `work` holding the project's lock across processes. */
  exclusive<T>(projectId: string, work: () => Promise<T>): Promise<T>;
}

export function projectLocks(db: Store, engine: Engine): ProjectLocks {
  if (engine === 'sqlite') {
    return { exclusive: (_projectId, work) => work() };
  }
  return {
    // The lock is its session's: one connection is held for the whole turn. (Two projects whose
    // ids hash alike take turns too; that is all a collision costs.)
    exclusive: (projectId, work) =>
      db.connection().execute(async connection => {
        await sql`SELECT pg_advisory_lock(${PUSH_LOCKS}, hashtext(${projectId}))`.execute(connection);
        try {
          return await work();
        } finally {
          await sql`SELECT pg_advisory_unlock(${PUSH_LOCKS}, hashtext(${projectId}))`.execute(connection);
        }
      })
  };
}
