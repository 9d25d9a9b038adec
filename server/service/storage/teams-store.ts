import { type Selectable, sql, type SqlBool } from 'kysely';
import { changeWithEvent, eventTransaction, insertEvent, type NewEvent } from './events-store';
import { containing } from './like-pattern';
import type { Store } from './open-store';
import type { TeamMembersTable, TeamsTable } from './schema';

export type TeamRow = Selectable<TeamsTable>;

/** Queries on teams and their members. */
export class TeamsStore {
  constructor(private readonly db: Store) {}

  byName(name: string): Promise<TeamRow | undefined> {
    return this.db.selectFrom('teams').selectAll().where('name', '=', name).executeTakeFirst();
  }

  byId(id: string): Promise<TeamRow | undefined> {
    return this.db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Teams in the order of their names with their member counts: after `after`, containing `q`, at most `limit`. */
  all(page: { after?: string; q?: string; limit?: number } = {}): Promise<(TeamRow & { member_count: number })[]> {
    let select = this.db
      .selectFrom('teams as t')
      .leftJoin('team_members as m', 'm.team_id', 't.id')
      .select(['t.id', 't.name', 't.description', 't.source', 't.created_at'])
      .select(eb => eb.fn.count<number>('m.user_id').as('member_count'));
    if (page.after !== undefined) {
      select = select.where('t.name', '>', page.after);
    }
    if (page.q !== undefined && page.q !== '') {
      // Team names are lower case by their grammar (names.ts): no LOWER(), which hides the column from its index.
      select = select.where(sql<SqlBool>`t.name LIKE ${containing(page.q)} ESCAPE '\\'`);
    }
    let ordered = select.groupBy(['t.id', 't.name', 't.description', 't.source', 't.created_at']).orderBy('t.name');
    if (page.limit !== undefined) {
      ordered = ordered.limit(page.limit);
    }
    return ordered.execute();
  }

  namesOf(userId: string): Promise<{ name: string }[]> {
    return this.db
      .selectFrom('teams as t')
      .innerJoin('team_members as m', 'm.team_id', 't.id')
      .select('t.name')
      .where('m.user_id', '=', userId)
      .orderBy('t.name')
      .execute();
  }

  members(teamId: string): Promise<{ name: string; role: Selectable<TeamMembersTable>['role'] }[]> {
    return this.db
      .selectFrom('team_members as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select(['u.name', 'm.role'])
      .where('m.team_id', '=', teamId)
      .orderBy('u.name')
      .execute();
  }

  /**
   * Of these team ids, those that exist, and whether the user is in each: a member, or (a team
   * mirroring a JupyterHub group) in that group. Two queries, however many teams.
   */
  async membershipAmong(teamIds: readonly string[], userId: string, hubGroups: readonly string[]): Promise<Map<string, boolean>> {
    const answer = new Map<string, boolean>();
    if (teamIds.length === 0) {
      return answer;
    }
    const ids = [...teamIds];
    const [teams, memberships] = await Promise.all([
      this.db.selectFrom('teams').select(['id', 'name', 'source']).where('id', 'in', ids).execute(),
      this.db.selectFrom('team_members').select('team_id').where('user_id', '=', userId).where('team_id', 'in', ids).execute()
    ]);
    const member = new Set(memberships.map(row => row.team_id));
    for (const team of teams) {
      answer.set(team.id, member.has(team.id) || (team.source === 'hub' && hubGroups.includes(team.name)));
    }
    return answer;
  }

  roleOf(teamId: string, userId: string): Promise<{ role: Selectable<TeamMembersTable>['role'] } | undefined> {
    return this.db
      .selectFrom('team_members')
      .select('role')
      .where('team_id', '=', teamId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
  }

  /** Creates a team with its first maintainer and its creation event, all or nothing. */
  async insertWithMaintainer(team: TeamRow, maintainerId: string, event: NewEvent): Promise<void> {
    await eventTransaction(this.db, async tx => {
      await tx.insertInto('teams').values(team).execute();
      await tx
        .insertInto('team_members')
        .values({ team_id: team.id, user_id: maintainerId, role: 'maintainer', created_at: team.created_at })
        .execute();
      await insertEvent(tx, event);
    });
  }

  /** Renames a team or changes its description; no fields is no statement (`SET` needs one). */
  async update(id: string, changes: Partial<Pick<TeamRow, 'name' | 'description'>>): Promise<void> {
    if (Object.keys(changes).length === 0) {
      return;
    }
    await this.db.updateTable('teams').set(changes).where('id', '=', id).execute();
  }

  /** Deletes a team and stores its deletion event, whose audience is its members at that moment. */
  async delete(id: string, event: Omit<NewEvent, 'audience'>): Promise<void> {
    await eventTransaction(this.db, async tx => {
      const members = await tx.selectFrom('team_members').select('user_id').where('team_id', '=', id).orderBy('user_id').execute();
      await insertEvent(tx, { ...event, audience: { users: members.map(member => member.user_id), everyone: false } });
      await tx.deleteFrom('teams').where('id', '=', id).execute();
    });
  }

  async putMember(teamId: string, userId: string, role: Selectable<TeamMembersTable>['role'], when: string, event: NewEvent): Promise<void> {
    await changeWithEvent(
      this.db,
      tx =>
        tx
          .insertInto('team_members')
          .values({ team_id: teamId, user_id: userId, role, created_at: when })
          .onConflict(conflict => conflict.columns(['team_id', 'user_id']).doUpdateSet({ role }))
          .execute(),
      () => event
    );
  }

  /** Removes a member; the event is stored only when they were one. */
  async deleteMember(teamId: string, userId: string, event: NewEvent): Promise<boolean> {
    return changeWithEvent(
      this.db,
      async tx => {
        const result = await tx
          .deleteFrom('team_members')
          .where('team_id', '=', teamId)
          .where('user_id', '=', userId)
          .executeTakeFirst();
        return result.numDeletedRows > 0n;
      },
      deleted => (deleted ? event : null)
    );
  }
}
