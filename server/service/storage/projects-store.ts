import type { Level } from '../domain/levels';
import { changeWithEvent, eventTransaction, type DeletionAudience, insertEvent, type NewEvent } from './events-store';
import type { Store } from './open-store';
import { type ListedProject, type ListingCaller, type ListingQuery, listReadable } from './project-listing';
import type { ProjectRow, ProjectWithOwner } from './schema';

export type { ProjectRow, ProjectWithOwner } from './schema';

/** Queries on projects and their grants. */
export class ProjectsStore {
  constructor(private readonly db: Store) {}

  private withOwner() {
    return this.db
      .selectFrom('projects as p')
      .innerJoin('users as o', 'o.id', 'p.owner_id')
      .select([
        'p.id',
        'p.owner_id',
        'p.name',
        'p.description',
        'p.visibility',
        'p.pages',
        'p.created_at',
        'p.updated_at',
        'o.name as owner_name'
      ]);
  }

  byOwnerAndName(ownerName: string, name: string): Promise<ProjectWithOwner | undefined> {
    return this.withOwner().where('o.name', '=', ownerName).where('p.name', '=', name).executeTakeFirst();
  }

  byId(id: string): Promise<ProjectWithOwner | undefined> {
    return this.withOwner().where('p.id', '=', id).executeTakeFirst();
  }

  /** The projects a caller may read, with their level, in one query (`project-listing.ts`). */
  readable(caller: ListingCaller, query: ListingQuery): Promise<ListedProject[]> {
    return listReadable(this.db, caller, query);
  }

  /** Which of these project ids exist (one query per 500 ids: SQLite bounds a statement's parameters). */
  async existing(ids: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let start = 0; start < ids.length; start += 500) {
      const rows = await this.db.selectFrom('projects').select('id').where('id', 'in', ids.slice(start, start + 500)).execute();
      rows.forEach(row => found.add(row.id));
    }
    return found;
  }

  all(): Promise<ProjectWithOwner[]> {
    return this.withOwner().orderBy('o.name').orderBy('p.name').execute();
  }

  async insert(project: ProjectRow, event: NewEvent): Promise<void> {
    await changeWithEvent(
      this.db,
      async tx => {
        await tx.insertInto('projects').values(project).execute();
        // A new repository has no refs: every one it gets is a recorded push, or told as lost.
        await tx.insertInto('repository_states').values({ project_id: project.id, refs: '{}' }).execute();
      },
      () => event
    );
  }

  /** Changes a project's metadata, with its event (none when the request changed no field). */
  async update(id: string, changes: Partial<Pick<ProjectRow, 'name' | 'description' | 'visibility' | 'pages' | 'updated_at'>>, event: NewEvent | null): Promise<void> {
    await changeWithEvent(this.db, tx => tx.updateTable('projects').set(changes).where('id', '=', id).execute(), () => event);
  }

  /**
   * Deletes a project (its grants go with it) and stores its deletion event, whose audience is
   * who could read it at that moment. The event goes first, while the grants that decide which
   * teams' webhooks receive it still exist.
   */
  async delete(id: string, event: Omit<NewEvent, 'audience'>): Promise<void> {
    await eventTransaction(this.db, async tx => {
      await insertEvent(tx, { ...event, audience: await readersOf(tx, id) });
      await tx.deleteFrom('projects').where('id', '=', id).execute();
    });
  }

  /** Every level granted to this user on this project: directly, or through a team they are in. */
  async grantedLevels(projectId: string, userId: string, hubGroups: readonly string[]): Promise<Level[]> {
    const direct = await this.db
      .selectFrom('user_grants')
      .select('level')
      .where('project_id', '=', projectId)
      .where('user_id', '=', userId)
      .execute();
    const throughTeams = await this.db
      .selectFrom('team_grants as g')
      .innerJoin('teams as t', 't.id', 'g.team_id')
      .select('g.level')
      .where('g.project_id', '=', projectId)
      .where(eb => {
        const member = eb.exists(
          eb
            .selectFrom('team_members as m')
            .select('m.user_id')
            .whereRef('m.team_id', '=', 't.id')
            .where('m.user_id', '=', userId)
        );
        return hubGroups.length > 0
          ? eb.or([member, eb.and([eb('t.source', '=', 'hub'), eb('t.name', 'in', hubGroups)])])
          : member;
      })
      .execute();
    return [...direct, ...throughTeams].map(row => row.level);
  }

  userGrants(projectId: string) {
    return this.db
      .selectFrom('user_grants as g')
      .innerJoin('users as u', 'u.id', 'g.user_id')
      .select(['u.name', 'g.level', 'g.created_at'])
      .where('g.project_id', '=', projectId)
      .orderBy('u.name')
      .execute();
  }

  teamGrants(projectId: string) {
    return this.db
      .selectFrom('team_grants as g')
      .innerJoin('teams as t', 't.id', 'g.team_id')
      .select(['t.name', 'g.level', 'g.created_at'])
      .where('g.project_id', '=', projectId)
      .orderBy('t.name')
      .execute();
  }

  async putUserGrant(projectId: string, userId: string, level: Level, when: string, event: NewEvent): Promise<void> {
    await changeWithEvent(
      this.db,
      tx =>
        tx
          .insertInto('user_grants')
          .values({ project_id: projectId, user_id: userId, level, created_at: when })
          .onConflict(conflict => conflict.columns(['project_id', 'user_id']).doUpdateSet({ level }))
          .execute(),
      () => event
    );
  }

  async putTeamGrant(projectId: string, teamId: string, level: Level, when: string, event: NewEvent): Promise<void> {
    await changeWithEvent(
      this.db,
      tx =>
        tx
          .insertInto('team_grants')
          .values({ project_id: projectId, team_id: teamId, level, created_at: when })
          .onConflict(conflict => conflict.columns(['project_id', 'team_id']).doUpdateSet({ level }))
          .execute(),
      () => event
    );
  }

  /** Removes a user's grant; the event is stored only when there was one. */
  async deleteUserGrant(projectId: string, userId: string, event: NewEvent): Promise<boolean> {
    return changeWithEvent(
      this.db,
      async tx => {
        const result = await tx
          .deleteFrom('user_grants')
          .where('project_id', '=', projectId)
          .where('user_id', '=', userId)
          .executeTakeFirst();
        return result.numDeletedRows > 0n;
      },
      deleted => (deleted ? event : null)
    );
  }

  /** Removes a team's grant; the event is stored only when there was one. */
  async deleteTeamGrant(projectId: string, teamId: string, event: NewEvent): Promise<boolean> {
    return changeWithEvent(
      this.db,
      async tx => {
        const result = await tx
          .deleteFrom('team_grants')
          .where('project_id', '=', projectId)
          .where('team_id', '=', teamId)
          .executeTakeFirst();
        return result.numDeletedRows > 0n;
      },
      deleted => (deleted ? event : null)
    );
  }
}

/** Everyone who can read a project now: its owner, its grantees, the members of its teams. */
async function readersOf(db: Store, projectId: string): Promise<DeletionAudience> {
  const project = await db.selectFrom('projects').select(['owner_id', 'visibility']).where('id', '=', projectId).executeTakeFirst();
  const direct = await db.selectFrom('user_grants').select('user_id').where('project_id', '=', projectId).execute();
  const throughTeams = await db
    .selectFrom('team_members as m')
    .innerJoin('team_grants as g', 'g.team_id', 'm.team_id')
    .select('m.user_id')
    .where('g.project_id', '=', projectId)
    .execute();
  const users = new Set([...direct, ...throughTeams].map(row => row.user_id));
  if (project) {
    users.add(project.owner_id);
  }
  return { users: [...users].sort(), everyone: project?.visibility === 'hub' };
}
