import { BadRequest } from '../../shared/errors';

/** What a user may do with a project: read (browse, clone, pull) < write (push) < admin (share, rename, delete). */
export type Level = 'read' | 'write' | 'admin';

const RANK: Record<Level, number> = { read: 1, write: 2, admin: 3 };

/** Whether `held` is at least `needed`. */
export function allows(held: Level | null, needed: Level): boolean {
  return held !== null && RANK[held] >= RANK[needed];
}

/** The higher of two levels (null meaning none). */
export function higher(a: Level | null, b: Level | null): Level | null {
  if (a === null) {
    return b;
  }
  if (b === null) {
    return a;
  }
  return RANK[a] >= RANK[b] ? a : b;
}

/** Validates a level from a request body. @throws BadRequest for anything but read, write, admin. */
export function parseLevel(raw: unknown): Level {
  if (raw === 'read' || raw === 'write' || raw === 'admin') {
    return raw;
  }
  throw new BadRequest('"level" must be one of "read", "write" or "admin".', 'invalid_level');
}
