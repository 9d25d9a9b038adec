import { randomBytes } from 'node:crypto';
import { BadRequest, Conflict, Forbidden, NotFound } from '../../shared/errors';
import { parseTeamName, parseUserName } from '../../shared/names';
import type { AccountsStore } from '../storage/accounts-store';
import { isUniqueViolation } from '../storage/open-store';
import type { TeamRow, TeamsStore } from '../storage/teams-store';
import { encodeCursor, type Listing } from './paging';
import { type Caller, type Clock, systemClock } from './accounts';
import { teamEvent } from './events';
import { bodyObject, parseDescription } from './projects';

export type TeamRole = 'member' | 'maintainer';

function parseRole(raw: unknown): TeamRole {
  if (raw === undefined || raw === 'member' || raw === 'maintainer') {
    return raw ?? 'member';
  }
  throw new BadRequest('"role" must be "member" or "maintainer".', 'invalid_role');
}

/**
 * Teams: any signed-in user may create one and becomes its maintainer; maintainers and hub admins
 * manage it. Teams mirrored from JupyterHub groups are read-only here.
 */
export class Teams {
  constructor(
    private readonly teams: TeamsStore,
    private readonly accounts: AccountsStore,
    private readonly clock: Clock = systemClock
  ) {}

  /** The teams in the order of their names: all, or a page (with the cursor of the next) and a name filter. */
  async list(listing: Listing = {}) {
    const rows = await this.teams.all({ after: listing.cursor?.[0], q: listing.q, limit: listing.limit === undefined ? undefined : listing.limit + 1 });
    const more = listing.limit !== undefined && rows.length > listing.limit;
    const shown = more ? rows.slice(0, listing.limit) : rows;
    const last = shown.at(-1);
    return {
      teams: shown.map(team => ({ name: team.name, description: team.description, source: team.source, memberCount: Number(team.member_count) })),
      next: more && last ? encodeCursor([last.name]) : null
    };
  }

  /**
   * The names of the teams a user belongs to. Hub groups count through their mirrored `hub`
   * teams (the hub's answer, mirrored on every request), never by name: a HubShare team that
   * happens to hold a group's name is a different team.
   */
  async namesOf(caller: Caller): Promise<string[]> {
    return (await this.teams.namesOf(caller.id)).map(team => team.name).sort();
  }

  /** @throws NotFound when there is no such team. */
  async get(rawName: unknown) {
    const team = await this.require(rawName);
    return {
      name: team.name,
      description: team.description,
      source: team.source,
      members: await this.teams.members(team.id)
    };
  }

  /** @throws Conflict when the name is taken. */
  async create(caller: Caller, body: unknown) {
    const fields = bodyObject(body, ['name', 'description']);
    const name = parseTeamName(fields.name);
    const description = parseDescription(fields.description);
    const at = this.clock.now();
    const team: TeamRow = {
      id: randomBytes(12).toString('hex'),
      name,
      description,
      source: 'hubshare',
      created_at: at.toISOString()
    };
    try {
      await this.teams.insertWithMaintainer(team, caller.id, teamEvent('team.created', caller, team, at));
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new Conflict(`There is already a team named "${name}".`, 'name_taken');
      }
      throw error;
    }
    return this.get(name);
  }

  /** Renames a team or changes its description. */
  async update(caller: Caller, rawName: unknown, body: unknown) {
    const team = await this.requireManageable(caller, rawName);
    const fields = bodyObject(body, ['name', 'description']);
    const changes: { name?: string; description?: string } = {};
    if (fields.name !== undefined) {
      changes.name = parseTeamName(fields.name);
    }
    if (fields.description !== undefined) {
      changes.description = parseDescription(fields.description);
    }
    try {
      await this.teams.update(team.id, changes);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new Conflict(`There is already a team named "${changes.name}".`, 'name_taken');
      }
      throw error;
    }
    return this.get(changes.name ?? team.name);
  }

  async delete(caller: Caller, rawName: unknown): Promise<void> {
    const team = await this.requireManageable(caller, rawName);
    await this.teams.delete(team.id, teamEvent('team.deleted', caller, team, this.clock.now()));
  }

  /** Adds a member or changes their role. @throws NotFound for an unknown user. */
  async putMember(caller: Caller, rawTeam: unknown, rawUser: unknown, body: unknown) {
    const team = await this.requireManageable(caller, rawTeam);
    const role = parseRole(bodyObject(body ?? {}, ['role']).role);
    const user = await this.accounts.userByName(parseUserName(rawUser));
    if (!user) {
      throw new NotFound(`There is no user named "${String(rawUser)}".`, 'no_such_user');
    }
    const at = this.clock.now();
    const event = teamEvent('member.changed', caller, team, at, { data: { user: user.name, role }, subjectUserId: user.id });
    await this.teams.putMember(team.id, user.id, role, at.toISOString(), event);
    return this.get(team.name);
  }

  /** Removes a member; members may also leave on their own. */
  async deleteMember(caller: Caller, rawTeam: unknown, rawUser: unknown): Promise<void> {
    const userName = parseUserName(rawUser);
    const team = userName === caller.name ? await this.requireLocal(rawTeam) : await this.requireManageable(caller, rawTeam);
    const user = await this.accounts.userByName(userName);
    const removed =
      user &&
      (await this.teams.deleteMember(
        team.id,
        user.id,
        teamEvent('member.removed', caller, team, this.clock.now(), { data: { user: user.name }, subjectUserId: user.id })
      ));
    if (!removed) {
      throw new NotFound(`${userName} is not a member of ${team.name}.`, 'no_such_member');
    }
  }

  private async require(rawName: unknown): Promise<TeamRow> {
    const name = parseTeamName(rawName);
    const team = await this.teams.byName(name);
    if (!team) {
      throw new NotFound(`There is no team named "${name}".`, 'no_such_team');
    }
    return team;
  }

  private async requireLocal(rawName: unknown): Promise<TeamRow> {
    const team = await this.require(rawName);
    if (team.source === 'hub') {
      throw new Forbidden(`${team.name} mirrors a JupyterHub group; change it in JupyterHub.`, 'hub_team');
    }
    return team;
  }

  /**
   * A team the caller maintains, or any team for hub admins (JupyterHub-mirrored ones too): who
   * may manage its webhooks. @throws NotFound, Forbidden.
   */
  async requireMaintained(caller: Caller, rawName: unknown): Promise<TeamRow> {
    const team = await this.require(rawName);
    if (!caller.admin && (await this.teams.roleOf(team.id, caller.id))?.role !== 'maintainer') {
      throw new Forbidden(`Only maintainers of ${team.name} can do this.`, 'not_maintainer');
    }
    return team;
  }

  private async requireManageable(caller: Caller, rawName: unknown): Promise<TeamRow> {
    const team = await this.requireLocal(rawName);
    if (!caller.admin && (await this.teams.roleOf(team.id, caller.id))?.role !== 'maintainer') {
      throw new Forbidden(`Only maintainers of ${team.name} can change it.`, 'not_maintainer');
    }
    return team;
  }
}
