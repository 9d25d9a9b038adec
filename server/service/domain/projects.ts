import { randomBytes } from 'node:crypto';
import { BadRequest, Conflict, Forbidden, NotFound } from '../../shared/errors';
import { parseProjectName, parseTeamName, parseUserName } from '../../shared/names';
import { readRefs } from '../git/refs';
import type { Repositories } from '../git/repositories';
import type { AccountsStore } from '../storage/accounts-store';
import type { NewEvent } from '../storage/events-store';
import { isUniqueViolation } from '../storage/open-store';
import type { ProjectsStore, ProjectWithOwner } from '../storage/projects-store';
import type { TeamsStore } from '../storage/teams-store';
import { type Caller, type Clock, systemClock } from './accounts';
import { projectEvent } from './events';
import { allows, higher, type Level } from './levels';
import { encodeCursor, parseListing } from './paging';

export type Visibility = 'private' | 'hub';
/** Who may see a project's static pages: nobody (off), its readers, or every user of the hub. */
export type PagesSetting = 'off' | 'project' | 'hub';

/** A project as the API shows it, with the caller's own level on it. */
export interface ProjectView {
  owner: string;
  name: string;
  description: string;
  visibility: Visibility;
  pages: PagesSetting;
  createdAt: string;
  updatedAt: string;
  myLevel: Level;
}

/** A project the caller may at least read, with the level they hold. */
export interface ReadableProject {
  project: ProjectWithOwner;
  level: Level;
}

export type ProjectScope = 'mine' | 'shared' | 'all';

/** Which page of a listing: after a cursor, at most `limit`, names containing `q`. */
export interface ProjectPage {
  q?: string;
  cursor?: { owner: string; name: string };
  limit?: number;
}

/** The most projects one heads request may name. */
export const MAX_HEADS = 1000;

/**
 * Reads `limit`, `cursor` (an owner and a name) and `q` of a projects listing request.
 * @throws BadRequest as `parseListing` does.
 */
export function parsePage(query: { limit?: unknown; cursor?: unknown; q?: unknown }): ProjectPage {
  const { limit, q, cursor } = parseListing(query, 2);
  return { limit, q, cursor: cursor && { owner: cursor[0], name: cursor[1] } };
}

function parseVisibility(raw: unknown): Visibility {
  if (raw === 'private' || raw === 'hub') {
    return raw;
  }
  throw new BadRequest('"visibility" must be "private" or "hub".', 'invalid_visibility');
}

function parsePages(raw: unknown): PagesSetting {
  if (raw === 'off' || raw === 'project' || raw === 'hub') {
    return raw;
  }
  throw new BadRequest('"pages" must be "off", "project" (who can read the project) or "hub" (every user).', 'invalid_pages');
}

/** Control characters other than newline and tab: never wanted in names or descriptions. */
function hasControlCharacters(text: string): boolean {
  return [...text].some(char => {
    const code = char.codePointAt(0) ?? 0;
    return (code < 0x20 && char !== '\n' && char !== '\t') || code === 0x7f;
  });
}

/** Validates a free-text description. @throws BadRequest when too long or not plain text. */
export function parseDescription(raw: unknown): string {
  if (raw === undefined) {
    return '';
  }
  if (typeof raw !== 'string' || raw.length > 1000 || hasControlCharacters(raw)) {
    throw new BadRequest('"description" must be text of at most 1000 characters, without control characters.');
  }
  return raw;
}

/** Refuses a JSON body that is not an object, or that has keys this operation does not know. */
export function bodyObject(raw: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new BadRequest('The request body must be a JSON object.');
  }
  const unknown = Object.keys(raw).filter(key => !allowed.includes(key));
  if (unknown.length > 0) {
    throw new BadRequest(`Unknown field${unknown.length > 1 ? 's' : ''}: ${unknown.map(key => JSON.stringify(key.slice(0, 40))).join(', ')}.`);
  }
  return raw as Record<string, unknown>;
}

/**
 * Projects, their grants, and the one place a user's level on a project is computed. Nothing
 * caches a level: every call reads the current grants and memberships.
 */
export class Projects {
  constructor(
    private readonly projects: ProjectsStore,
    private readonly accounts: AccountsStore,
    private readonly teams: TeamsStore,
    private readonly repositories: Repositories,
    private readonly clock: Clock = systemClock
  ) {}

  /**
   * The caller's effective level: the highest of hub admin, ownership, direct grants, grants to
   * every team they belong to, and the project's visibility. Null when they may not even read it.
   */
  async levelOf(caller: Caller, project: ProjectWithOwner): Promise<Level | null> {
    if (caller.admin || project.owner_id === caller.id) {
      return 'admin';
    }
    let level: Level | null = project.visibility === 'hub' ? 'read' : null;
    for (const granted of await this.projects.grantedLevels(project.id, caller.id, caller.hubGroups)) {
      level = higher(level, granted);
    }
    return level;
  }

  /**
   * Finds a project the caller holds at least `needed` on.
   * @throws NotFound when it does not exist or the caller cannot read it (no existence leak);
   *   Forbidden when they can read it but need more.
   */
  async require(caller: Caller, rawOwner: unknown, rawName: unknown, needed: Level): Promise<ReadableProject> {
    const owner = parseUserName(rawOwner);
    const name = parseProjectName(rawName);
    const project = await this.projects.byOwnerAndName(owner, name);
    const level = project ? await this.levelOf(caller, project) : null;
    if (!project || level === null) {
      throw new NotFound(`There is no project ${owner}/${name}, or you have no access to it.`, 'no_such_project');
    }
    if (!allows(level, needed)) {
      throw new Forbidden(
        needed === 'write'
          ? `You can read ${owner}/${name} but not push to it; ask its owner for write access.`
          : `Only admins of ${owner}/${name} can do this; ask its owner.`,
        'insufficient_level'
      );
    }
    return { project, level };
  }

  /**
   * Finds a project whose pages the caller may see: pages are on, and either open to the hub or
   * the caller can read the project.
   * @throws NotFound otherwise (pages that are off do not exist for anyone).
   */
  async requirePages(caller: Caller, rawOwner: unknown, rawName: unknown): Promise<ReadableProject> {
    const owner = parseUserName(rawOwner);
    const name = parseProjectName(rawName);
    const project = await this.projects.byOwnerAndName(owner, name);
    const level = project && project.pages !== 'off' ? await this.levelOf(caller, project) : null;
    if (!project || project.pages === 'off' || (level === null && project.pages !== 'hub')) {
      throw new NotFound(`There are no pages for ${owner}/${name}, or you have no access to them.`, 'no_such_pages');
    }
    return { project, level: level ?? 'read' };
  }

  /**
   * Lists the projects the caller can read — their own, those shared with them, or all — in one
   * query, in the order of owner and name; a page of `limit` when asked, with the cursor of the
   * next page (null after the last).
   */
  async list(caller: Caller, scope: ProjectScope, page: ProjectPage = {}): Promise<{ projects: ProjectView[]; next: string | null }> {
    const rows = await this.projects.readable(caller, { scope, q: page.q, after: page.cursor, limit: page.limit === undefined ? undefined : page.limit + 1 });
    const more = page.limit !== undefined && rows.length > page.limit;
    const shown = more ? rows.slice(0, page.limit) : rows;
    const last = shown.at(-1);
    return { projects: shown.map(row => this.view(row, row.level)), next: more && last ? encodeCursor([last.owner_name, last.name]) : null };
  }

  /**
   * The commit each named project's main branch is at (null before the first push), for the
   * projects of the list the caller may read; the others are left out, as if they did not exist.
   * One query for the levels; the refs are read from the repositories' files, no git process.
   * @throws BadRequest unless the body is `{projects: ["owner/name", …]}` of at most MAX_HEADS.
   */
  async heads(caller: Caller, body: unknown): Promise<{ heads: Record<string, string | null> }> {
    const { projects: raw } = bodyObject(body, ['projects']);
    if (!Array.isArray(raw) || raw.length > MAX_HEADS) {
      throw new BadRequest(`"projects" must be a list of at most ${MAX_HEADS} projects, each "owner/name".`, 'invalid_projects');
    }
    const names = raw.map(entry => {
      const [owner, name, ...rest] = typeof entry === 'string' ? entry.split('/') : [];
      if (rest.length > 0 || owner === undefined || name === undefined) {
        throw new BadRequest(`"${String(entry).slice(0, 80)}" is not a project: write it as owner/name.`, 'invalid_projects');
      }
      return { owner: parseUserName(owner), name: parseProjectName(name) };
    });
    const readable = await this.projects.readable(caller, { scope: 'all', names });
    const heads: Record<string, string | null> = {};
    for (const project of readable) {
      heads[`${project.owner_name}/${project.name}`] = (await readRefs(this.repositories.pathOf(project.id))).refs.get('refs/heads/main') ?? null;
    }
    return { heads };
  }

  /**
   * Creates a project owned by the caller, with its bare repository.
   * @throws BadRequest for invalid fields; Conflict when the caller has a project of that name.
   */
  async create(caller: Caller, body: unknown): Promise<ProjectView> {
    const fields = bodyObject(body, ['name', 'description', 'visibility']);
    const name = parseProjectName(fields.name);
    const description = parseDescription(fields.description);
    const visibility = parseVisibility(fields.visibility ?? 'private');
    const at = this.clock.now();
    const now = at.toISOString();
    const id = randomBytes(12).toString('hex');
    await this.repositories.create(id);
    try {
      await this.projects.insert(
        { id, owner_id: caller.id, name, description, visibility, pages: 'off', created_at: now, updated_at: now },
        projectEvent('project.created', caller, { id, owner_name: caller.name, name }, at, { data: { visibility } })
      );
    } catch (error) {
      await this.repositories.remove(id);
      if (isUniqueViolation(error)) {
        throw new Conflict(`You already have a project named "${name}".`, 'name_taken');
      }
      throw error;
    }
    const created = await this.projects.byId(id);
    if (!created) {
      throw new Error('a project vanished right after it was created');
    }
    return this.view(created, 'admin');
  }

  /** Renames a project or changes its description or visibility (metadata only). */
  async update(caller: Caller, target: ReadableProject, body: unknown): Promise<ProjectView> {
    const fields = bodyObject(body, ['name', 'description', 'visibility', 'pages']);
    const at = this.clock.now();
    const changed: { name?: string; description?: string; visibility?: Visibility; pages?: PagesSetting } = {};
    if (fields.name !== undefined) {
      changed.name = parseProjectName(fields.name);
    }
    if (fields.description !== undefined) {
      changed.description = parseDescription(fields.description);
    }
    if (fields.visibility !== undefined) {
      changed.visibility = parseVisibility(fields.visibility);
    }
    if (fields.pages !== undefined) {
      changed.pages = parsePages(fields.pages);
    }
    const changes = { ...changed, updated_at: at.toISOString() };
    try {
      await this.projects.update(target.project.id, changes, this.updateEvent(caller, target.project, changed, at));
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new Conflict(`${target.project.owner_name} already has a project named "${changes.name}".`, 'name_taken');
      }
      throw error;
    }
    const updated = await this.projects.byId(target.project.id);
    if (!updated) {
      throw new NotFound('The project was deleted meanwhile.', 'no_such_project');
    }
    return this.view(updated, target.level);
  }

  /** The event a metadata change causes: a rename, another change, or none when nothing was asked. */
  private updateEvent(caller: Caller, project: ProjectWithOwner, changed: { name?: string; description?: string; visibility?: Visibility; pages?: PagesSetting }, at: Date): NewEvent | null {
    if (Object.keys(changed).length === 0) {
      return null;
    }
    if (changed.name !== undefined && changed.name !== project.name) {
      return projectEvent('project.renamed', caller, { ...project, name: changed.name }, at, {
        data: { previousName: project.name, changes: changed }
      });
    }
    return projectEvent('project.updated', caller, project, at, { data: { changes: changed } });
  }

  /**
   * Deletes a project and its repository. Its deletion event keeps who could read it, so they
   * still see its events afterwards (see Events).
   */
  async delete(caller: Caller, target: ReadableProject): Promise<void> {
    await this.projects.delete(target.project.id, projectEvent('project.deleted', caller, target.project, this.clock.now()));
    await this.repositories.remove(target.project.id);
  }

  /** Who has been granted what on a project. */
  async grants(target: ReadableProject) {
    const [users, teams] = await Promise.all([
      this.projects.userGrants(target.project.id),
      this.projects.teamGrants(target.project.id)
    ]);
    return {
      owner: target.project.owner_name,
      visibility: target.project.visibility,
      users: users.map(grant => ({ name: grant.name, level: grant.level })),
      teams: teams.map(grant => ({ name: grant.name, level: grant.level }))
    };
  }

  /** Grants (or changes) a user's level. @throws NotFound for an unknown user; BadRequest for the owner. */
  async grantUser(caller: Caller, target: ReadableProject, rawUser: unknown, level: Level): Promise<void> {
    const user = await this.accounts.userByName(parseUserName(rawUser));
    if (!user) {
      throw new NotFound(`There is no user named "${String(rawUser)}".`, 'no_such_user');
    }
    if (user.id === target.project.owner_id) {
      throw new BadRequest(`${user.name} owns this project and always has admin on it.`, 'owner_grant');
    }
    const at = this.clock.now();
    const event = projectEvent('grant.changed', caller, target.project, at, { data: { user: user.name, level }, subjectUserId: user.id });
    await this.projects.putUserGrant(target.project.id, user.id, level, at.toISOString(), event);
  }

  /** Grants (or changes) a team's level. @throws NotFound for an unknown team. */
  async grantTeam(caller: Caller, target: ReadableProject, rawTeam: unknown, level: Level): Promise<void> {
    const team = await this.teams.byName(parseTeamName(rawTeam));
    if (!team) {
      throw new NotFound(`There is no team named "${String(rawTeam)}".`, 'no_such_team');
    }
    const at = this.clock.now();
    const event = projectEvent('grant.changed', caller, target.project, at, { team, data: { level } });
    await this.projects.putTeamGrant(target.project.id, team.id, level, at.toISOString(), event);
  }

  /** Removes a user's grant. @throws NotFound when there was none. */
  async revokeUser(caller: Caller, target: ReadableProject, rawUser: unknown): Promise<void> {
    const user = await this.accounts.userByName(parseUserName(rawUser));
    const removed =
      user &&
      (await this.projects.deleteUserGrant(
        target.project.id,
        user.id,
        projectEvent('grant.removed', caller, target.project, this.clock.now(), { data: { user: user.name }, subjectUserId: user.id })
      ));
    if (!removed) {
      throw new NotFound(`${String(rawUser)} has no grant on this project.`, 'no_such_grant');
    }
  }

  /** Removes a team's grant. @throws NotFound when there was none. */
  async revokeTeam(caller: Caller, target: ReadableProject, rawTeam: unknown): Promise<void> {
    const team = await this.teams.byName(parseTeamName(rawTeam));
    const removed =
      team && (await this.projects.deleteTeamGrant(target.project.id, team.id, projectEvent('grant.removed', caller, target.project, this.clock.now(), { team })));
    if (!removed) {
      throw new NotFound(`Team ${String(rawTeam)} has no grant on this project.`, 'no_such_grant');
    }
  }

  view(project: ProjectWithOwner, level: Level): ProjectView {
    return {
      owner: project.owner_name,
      name: project.name,
      description: project.description,
      visibility: project.visibility,
      pages: project.pages,
      createdAt: project.created_at,
      updatedAt: project.updated_at,
      myLevel: level
    };
  }
}
