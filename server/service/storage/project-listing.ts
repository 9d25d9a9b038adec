// A caller's projects in one query, whatever the size of the hub: the level of each readable
// project is computed in SQL from ownership, direct grants, team grants (membership or a JupyterHub
// group mirrored as a team) and visibility, then paged by (owner, name) with a keyset cursor, so
// a page costs the same on page 1 and page 400 and never repeats an item.
import { type Expression, type SelectQueryBuilder, sql, type SqlBool } from 'kysely';
import type { Level } from '../domain/levels';
import { containing } from './like-pattern';
import type { Store } from './open-store';
import type { ProjectsTable, ProjectWithOwner, UsersTable } from './schema';

/** Who is asking, as the listing needs it. */
export interface ListingCaller {
  id: string;
  admin: boolean;
  hubGroups: readonly string[];
}

export interface ListingQuery {
  /** Their own projects, those others let them read, or both. */
  scope: 'mine' | 'shared' | 'all';
  /** Only projects whose name or owner's name contains this (case-insensitive). */
  q?: string;
  /** Start after this project (the last one of the previous page). */
  after?: { owner: string; name: string };
  /** The most projects to answer; all when left out. */
  limit?: number;
  /** Only these projects (of those readable). */
  names?: readonly { owner: string; name: string }[];
  /** Only the projects of these ids (of those readable). */
  ids?: readonly string[];
}

export type ListedProject = ProjectWithOwner & { level: Level };

type ListedRow = ProjectWithOwner & { rank: number };

const LEVELS: readonly Level[] = ['read', 'write', 'admin'];

/** A level as a number SQL can take the maximum of (read 1, write 2, admin 3). */
function rank(column: string) {
  return sql<number>`CASE ${sql.ref(column)} WHEN 'admin' THEN 3 WHEN 'write' THEN 2 ELSE 1 END`;
}

/** What a listing answers of each project (and its owner's name). */
const COLUMNS = ['p.id', 'p.owner_id', 'p.name', 'p.description', 'p.visibility', 'p.pages', 'p.created_at', 'p.updated_at', 'o.name as owner_name'] as const;

/** The projects `caller` may read, with their level, in the order of owner and name. */
export async function listReadable(db: Store, caller: ListingCaller, query: ListingQuery): Promise<ListedProject[]> {
  return caller.admin ? listAll(db, caller, query) : listGranted(db, caller, query);
}

/**
 * A hub admin reads every project as admin: owners in name order, each one's projects in name
 * order, so both engines walk the two name indexes and stop at the page's end without sorting.
 */
async function listAll(db: Store, caller: ListingCaller, query: ListingQuery): Promise<ListedProject[]> {
  const select = db
    .selectFrom('users as o')
    .innerJoin('projects as p', 'p.owner_id', 'o.id')
    .select([...COLUMNS, sql<number>`3`.as('rank')]);
  return page(select as unknown as Listing, caller, query);
}

/**
 * Everyone else reads what they own or were granted (in person, by a team, by a hub group), and
 * every project open to the hub. Those two are listed apart, each in name order up to the page's
 * end, and merged: the few granted ones through their levels, the many open ones by walking the
 * name indexes as a hub admin's list does. Listed together, every open project was joined,
 * levelled and sorted for a page of 50 (at 20,000 projects, 2,000 of them open: 26 ms on
 * PostgreSQL). A page of the merge is a page of the whole: every project of the first n of both
 * is among the first n of one of them, at the highest of its levels there.
 */
async function listGranted(db: Store, caller: ListingCaller, query: ListingQuery): Promise<ListedProject[]> {
  const granted = db
    .with('readable', qb => {
      let sources = qb
        .selectFrom('projects')
        .select(['id as project_id', sql<number>`3`.as('rank')])
        .where('owner_id', '=', caller.id)
        .unionAll(qb.selectFrom('user_grants').select(['project_id', rank('level').as('rank')]).where('user_id', '=', caller.id))
        .unionAll(
          qb
            .selectFrom('team_grants as g')
            .innerJoin('team_members as m', 'm.team_id', 'g.team_id')
            .select(['g.project_id', rank('g.level').as('rank')])
            .where('m.user_id', '=', caller.id)
        );
      if (caller.hubGroups.length > 0) {
        sources = sources.unionAll(
          qb
            .selectFrom('team_grants as g')
            .innerJoin('teams as t', 't.id', 'g.team_id')
            .select(['g.project_id', rank('g.level').as('rank')])
            .where('t.source', '=', 'hub')
            .where('t.name', 'in', [...caller.hubGroups])
        );
      }
      return sources;
    })
    .with('levels', qb => qb.selectFrom('readable').select(['project_id', eb => eb.fn.max<number>('rank').as('rank')]).groupBy('project_id'))
    .selectFrom('levels as l')
    .innerJoin('projects as p', 'p.id', 'l.project_id')
    .innerJoin('users as o', 'o.id', 'p.owner_id')
    .select([...COLUMNS, 'l.rank']);
  const open = db
    .selectFrom('users as o')
    .innerJoin('projects as p', 'p.owner_id', 'o.id')
    .select([...COLUMNS, sql<number>`1`.as('rank')])
    .where('p.visibility', '=', 'hub');
  const grantedPage = conditions(granted as unknown as Listing, caller, query);
  const openPage = conditions(open as unknown as Listing, caller, query);
  if (grantedPage === null || openPage === null) {
    return [];
  }
  const both = db
    .selectFrom(grantedPage.as('a'))
    .selectAll()
    .unionAll(db.selectFrom(openPage.as('b')).selectAll());
  const merge = ['c.id', 'c.owner_id', 'c.name', 'c.description', 'c.visibility', 'c.pages', 'c.created_at', 'c.updated_at', 'c.owner_name'] as const;
  let merged = db
    .selectFrom(both.as('c'))
    .select([...merge, eb => eb.fn.max<number>('c.rank').as('rank')])
    .groupBy([...merge])
    .orderBy('c.owner_name')
    .orderBy('c.name');
  if (query.limit !== undefined) {
    merged = merged.limit(query.limit);
  }
  return levelled(await merged.execute());
}

/**
 * A listing as its conditions see it: owners as `o`, projects as `p`. The three queries above
 * have these aliases (the granted one also its levels as `l`), so one function pages them all.
 */
type Listing = SelectQueryBuilder<{ o: UsersTable; p: ProjectsTable }, 'o' | 'p', ListedRow>;

/**
 * The scope, the name filter, the cursor, the order and the page's size on a listing; null when
 * it can find nothing (an empty list of names or ids).
 */
function conditions(start: Listing, caller: ListingCaller, query: ListingQuery): Listing | null {
  let select = start;
  if (query.scope !== 'all') {
    select = select.where('p.owner_id', query.scope === 'mine' ? '=' : '<>', caller.id);
  }
  if (query.q !== undefined && query.q !== '') {
    // Names are lower case by their grammar (names.ts), so the columns are compared as they are:
    // `LOWER(…)` on them cost PostgreSQL its walk of the name indexes (a scan and a sort instead,
    // three times the time at 20,000 projects).
    const pattern = containing(query.q);
    select = select.where(eb =>
      eb.or([sql<SqlBool>`p.name LIKE ${pattern} ESCAPE '\\'`, sql<SqlBool>`o.name LIKE ${pattern} ESCAPE '\\'`] as Expression<SqlBool>[])
    );
  }
  const names = query.names;
  if (names !== undefined) {
    if (names.length === 0) {
      return null;
    }
    select = select.where(eb => eb.or(names.map(({ owner, name }) => eb.and([eb('o.name', '=', owner), eb('p.name', '=', name)]))));
  }
  if (query.ids !== undefined) {
    if (query.ids.length === 0) {
      return null;
    }
    select = select.where('p.id', 'in', [...query.ids]);
  }
  const after = query.after;
  if (after !== undefined) {
    select = select.where(eb => eb.or([eb('o.name', '>', after.owner), eb.and([eb('o.name', '=', after.owner), eb('p.name', '>', after.name)])]));
  }
  let ordered = select.orderBy('o.name').orderBy('p.name');
  if (query.limit !== undefined) {
    ordered = ordered.limit(query.limit);
  }
  return ordered;
}

/** Runs a listing with its conditions. */
async function page(start: Listing, caller: ListingCaller, query: ListingQuery): Promise<ListedProject[]> {
  const listing = conditions(start, caller, query);
  return listing === null ? [] : levelled(await listing.execute());
}

function levelled(rows: ListedRow[]): ListedProject[] {
  return rows.map(({ rank: level, ...project }) => ({ ...project, level: LEVELS[Number(level) - 1] }));
}
