import { randomBytes } from 'node:crypto';
import { openServiceData } from '../../server/service/data-dir';
import { inBatches } from '../../test/server/service/in-batches';

/**
 * A hub of thousands for one user, written straight into the service's store (as the listing
 * benchmark seeds it) in one transaction: 20,000 HTTP calls would take minutes, this a few
 * seconds. Listing needs no git repositories, so none are made.
 *
 * What `user` can read: 1,000 projects of their own (`notebook-0000`…) and 19,000 of 200 other
 * members (`member-000`…`member-199`, 95 each, `dataset-00000`… in that order), one third
 * readable by everyone on the hub, one third granted to them, one third granted to a team they
 * are in. One of member-150's is `needle-in-the-hub`. And 1,000 private projects they cannot
 * read, among them member-151's `needle-hidden`.
 */
export const SEEDED = {
  own: 1_000,
  othersPerMember: 95,
  members: 200,
  hidden: 1_000,
  needle: 'member-150/needle-in-the-hub',
  hiddenNeedle: 'member-151/needle-hidden'
};

/** member-150's first project is the needle (sorted last of theirs). */
const NEEDLE_INDEX = 150 * SEEDED.othersPerMember;

/** The shared project at `index` in the service's order (owner, then name), as the panel shows it; for member-150's, see the needle. */
export function sharedProjectAt(index: number): string {
  return `${memberName(Math.floor(index / SEEDED.othersPerMember))}/${datasetName(index)}`;
}

const memberName = (index: number) => `member-${String(index).padStart(3, '0')}`;
const datasetName = (index: number) => `dataset-${String(index).padStart(5, '0')}`;
const newId = () => randomBytes(12).toString('hex');

/**
 * Seeds the store of the service whose data directory is `dataDir` (running or not: SQLite lets
 * another process write while it serves), unless `user` already owns projects there.
 */
export async function seedManyProjects(dataDir: string, user: string): Promise<void> {
  // The store's source runs here as in vitest, unbundled: `__HUBSHARE_BUNDLED__`, the switch
  // esbuild and vitest.config.mts define (read when SQLite is opened), is false, so SQLite's
  // addon comes from node_modules.
  Object.assign(globalThis, { __HUBSHARE_BUNDLED__: false });
  const data = await openServiceData({ dataDir });
  try {
    await data.db.transaction().execute(async db => {
      const signedIn = await db.selectFrom('users').select('id').where('name', '=', user).executeTakeFirstOrThrow();
      if (await db.selectFrom('projects').select('id').where('owner_id', '=', signedIn.id).limit(1).executeTakeFirst()) {
        return;
      }
      const now = new Date().toISOString();
      const members = Array.from({ length: SEEDED.members }, (_, index) => ({ id: newId(), name: memberName(index), is_admin: 0, created_at: now }));
      await inBatches(members, batch => db.insertInto('users').values(batch).execute());
      const team = { id: newId(), name: 'analysts', description: 'Everyone who reads the datasets', source: 'hubshare' as const, created_at: now };
      await db.insertInto('teams').values(team).execute();
      await db.insertInto('team_members').values({ team_id: team.id, user_id: signedIn.id, role: 'member', created_at: now }).execute();

      const project = (ownerId: string, name: string, visibility: 'private' | 'hub') => ({
        id: newId(),
        owner_id: ownerId,
        name,
        description: '',
        visibility,
        created_at: now,
        updated_at: now
      });
      const own = Array.from({ length: SEEDED.own }, (_, index) => project(signedIn.id, `notebook-${String(index).padStart(4, '0')}`, 'private'));
      const shared = Array.from({ length: SEEDED.members * SEEDED.othersPerMember }, (_, index) => {
        const owner = members[Math.floor(index / SEEDED.othersPerMember)];
        return project(owner.id, index === NEEDLE_INDEX ? 'needle-in-the-hub' : datasetName(index), index % 3 === 0 ? 'hub' : 'private');
      });
      const hidden = Array.from({ length: SEEDED.hidden }, (_, index) =>
        project(members[(index * 7) % SEEDED.members].id, index === 0 ? 'needle-hidden' : `hidden-${String(index).padStart(4, '0')}`, 'private')
      );
      hidden[0].owner_id = members[151].id;
      await inBatches([...own, ...shared, ...hidden], batch => db.insertInto('projects').values(batch).execute());
      const granted = shared.filter((_, index) => index % 3 === 1);
      const toTeam = shared.filter((_, index) => index % 3 === 2);
      await inBatches(
        granted.map((p, index) => ({ project_id: p.id, user_id: signedIn.id, level: index % 2 === 0 ? ('read' as const) : ('write' as const), created_at: now })),
        batch => db.insertInto('user_grants').values(batch).execute()
      );
      await inBatches(
        toTeam.map(p => ({ project_id: p.id, team_id: team.id, level: 'read' as const, created_at: now })),
        batch => db.insertInto('team_grants').values(batch).execute()
      );
    });
  } finally {
    await data.close();
  }
}
