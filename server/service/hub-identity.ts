import { randomBytes } from 'node:crypto';
import { Forbidden, ServiceUnavailable } from '../shared/errors';
import { parseTeamName, parseUserName } from '../shared/names';
import type { IdentityProvider } from './authentication';
import type { Caller, Clock } from './domain/accounts';
import { systemClock } from './domain/accounts';
import { isUniqueViolation, type Store } from './storage/open-store';

/** Where the hub is and who this service is to it (from the env JupyterHub gives a service). */
export interface HubSettings {
  /** `JUPYTERHUB_API_URL`, e.g. http://127.0.0.1:8081/hub/api */
  apiUrl: string;
  /** The service's name in the hub (`hubshare`): callers need `access:services!service=<name>`. */
  serviceName: string;
}

/** The subset of JupyterHub's user model HubShare reads. */
interface HubUserModel {
  name?: unknown;
  admin?: unknown;
  groups?: unknown;
  scopes?: unknown;
}

const HUB_TIMEOUT_MS = 10_000;

/**
 * Resolves JupyterHub tokens (a single-user server's API token, a user's token) by asking the hub
 * `GET {api}/user` on every request: names, groups and the admin flag are the hub's, current to
 * the request, so removing someone from a group acts on their very next request. Users and hub
 * groups are mirrored into the store (groups as read-only teams) so grants can name them.
 */
export class HubIdentity implements IdentityProvider {
  constructor(
    private readonly hub: HubSettings,
    private readonly db: Store,
    private readonly clock: Clock = systemClock
  ) {}

  async resolve(token: string): Promise<Caller | undefined> {
    let response: Response;
    try {
      response = await fetch(`${this.hub.apiUrl.replace(/\/+$/, '')}/user`, {
        headers: { Authorization: `token ${token}`, Accept: 'application/json' },
        signal: AbortSignal.timeout(HUB_TIMEOUT_MS)
      });
    } catch {
      throw new ServiceUnavailable('JupyterHub cannot be reached to check who you are; try again shortly.', 'hub_unreachable');
    }
    if (response.status === 401 || response.status === 403 || response.status === 404) {
      return undefined;
    }
    if (!response.ok) {
      throw new ServiceUnavailable(`JupyterHub answered ${response.status} when asked who you are.`, 'hub_error');
    }
    const model = (await response.json()) as HubUserModel;
    if (typeof model.name !== 'string') {
      return undefined;
    }
    const scopes = Array.isArray(model.scopes) ? model.scopes.filter((s): s is string => typeof s === 'string') : [];
    if (!scopes.includes(`access:services!service=${this.hub.serviceName}`) && !scopes.includes('access:services')) {
      throw new Forbidden(`Your hub account has no access to the ${this.hub.serviceName} service; ask your hub admin.`, 'no_service_access');
    }
    const name = parseUserName(model.name.toLowerCase());
    const admin = model.admin === true;
    // Only groups whose names fit the team grammar are mirrored (and count for grants).
    const groups = Array.isArray(model.groups) ? model.groups.filter(isTeamName) : [];
    const id = await this.mirrorUser(name, admin);
    await this.mirrorGroups(id, groups);
    return { id, name, admin, hubGroups: groups };
  }

  private async renameOutOfTheWay(teamId: string, group: string): Promise<void> {
    for (;;) {
      try {
        await this.db.updateTable('teams').set({ name: await freeTeamName(this.db, group) }).where('id', '=', teamId).where('source', '!=', 'hub').execute();
        return;
      } catch (error) {
        // Another replica took that free name at the same moment: find the next one.
        if (!isUniqueViolation(error)) {
          throw error;
        }
      }
    }
  }

  private async mirrorUser(name: string, admin: boolean): Promise<string> {
    const now = this.clock.now().toISOString();
    await this.db
      .insertInto('users')
      .values({ id: randomBytes(12).toString('hex'), name, is_admin: admin ? 1 : 0, created_at: now })
      .onConflict(conflict => conflict.column('name').doUpdateSet({ is_admin: admin ? 1 : 0 }))
      .execute();
    const row = await this.db.selectFrom('users').select('id').where('name', '=', name).executeTakeFirstOrThrow();
    return row.id;
  }

  /**
   * Hub groups become `hub` teams; this user's memberships in them follow the hub's answer. A
   * group's name is the hub's: a HubShare team that holds it (made before the group existed, or
   * to catch what is meant for the group) is renamed out of the way — its members and grants
   * stay with it, by id — so the group is never confused with it, in grants or in `/user`.
   */
  private async mirrorGroups(userId: string, groups: readonly string[]): Promise<void> {
    const now = this.clock.now().toISOString();
    for (const group of groups) {
      await this.db
        .insertInto('teams')
        .values({ id: randomBytes(12).toString('hex'), name: group, description: 'JupyterHub group', source: 'hub', created_at: now })
        .onConflict(conflict => conflict.column('name').doNothing())
        .execute();
      const holder = await this.db.selectFrom('teams').select(['id', 'source']).where('name', '=', group).executeTakeFirst();
      if (holder && holder.source !== 'hub') {
        await this.renameOutOfTheWay(holder.id, group);
        await this.db
          .insertInto('teams')
          .values({ id: randomBytes(12).toString('hex'), name: group, description: 'JupyterHub group', source: 'hub', created_at: now })
          .onConflict(conflict => conflict.column('name').doNothing())
          .execute();
      }
    }
    const hubTeams = await this.db.selectFrom('teams').select(['id', 'name']).where('source', '=', 'hub').execute();
    for (const team of hubTeams) {
      if (groups.includes(team.name)) {
        await this.db
          .insertInto('team_members')
          .values({ team_id: team.id, user_id: userId, role: 'member', created_at: now })
          .onConflict(conflict => conflict.columns(['team_id', 'user_id']).doNothing())
          .execute();
      } else {
        await this.db.deleteFrom('team_members').where('team_id', '=', team.id).where('user_id', '=', userId).execute();
      }
    }
  }
}

/** The first free name of the form `<name>-team`, `<name>-team-2`, … within the team grammar. */
async function freeTeamName(db: Store, name: string): Promise<string> {
  for (let n = 1; ; n += 1) {
    const suffix = n === 1 ? '-team' : `-team-${n}`;
    const candidate = `${name.slice(0, 63 - suffix.length)}${suffix}`;
    if (!(await db.selectFrom('teams').select('id').where('name', '=', candidate).executeTakeFirst())) {
      return candidate;
    }
  }
}

function isTeamName(group: unknown): group is string {
  try {
    parseTeamName(group);
    return true;
  } catch {
    return false;
  }
}

/** Standalone tokens (`hs_…`, from the CLI) are the service's own; anything else is the hub's. */
export function combinedIdentity(local: IdentityProvider, hub: IdentityProvider | undefined): IdentityProvider {
  return {
    resolve: token => (token.startsWith('hs_') || !hub ? local.resolve(token) : hub.resolve(token))
  };
}
