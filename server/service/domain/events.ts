import { BadRequest } from '../../shared/errors';
import type { EventRow, EventsStore, NewEvent } from '../storage/events-store';
import type { ProjectsStore } from '../storage/projects-store';
import type { TeamsStore } from '../storage/teams-store';
import type { Caller } from './accounts';

/** What can happen, as the feed and webhooks name it. */
export type EventType =
  | 'push'
  | 'project.created'
  | 'project.renamed'
  | 'project.updated'
  | 'project.deleted'
  | 'grant.changed'
  | 'grant.removed'
  | 'team.created'
  | 'team.deleted'
  | 'member.changed'
  | 'member.removed';

/** An event as the feed and webhooks show it. `id` is also the cursor just past it. */
export interface EventView {
  id: string;
  type: string;
  at: string;
  actor: string;
  [detail: string]: unknown;
}

/** A project as an event names it: by owner and name at the time of the event. */
interface ProjectNamed {
  id: string;
  owner_name: string;
  name: string;
}

/** Describes an event about a project (a grant to a team also names the team). */
export function projectEvent(
  type: EventType,
  actor: Caller,
  project: ProjectNamed,
  at: Date,
  details: { data?: Record<string, unknown>; team?: { id: string; name: string }; subjectUserId?: string } = {}
): NewEvent {
  return {
    type,
    createdAt: at.toISOString(),
    actor: actor.name,
    projectId: project.id,
    teamId: details.team?.id ?? null,
    subjectUserId: details.subjectUserId ?? null,
    audience: null,
    data: {
      project: { owner: project.owner_name, name: project.name },
      ...(details.team ? { team: details.team.name } : {}),
      ...details.data
    }
  };
}

/** Describes an event about a team. */
export function teamEvent(
  type: EventType,
  actor: Caller,
  team: { id: string; name: string },
  at: Date,
  details: { data?: Record<string, unknown>; subjectUserId?: string } = {}
): NewEvent {
  return {
    type,
    createdAt: at.toISOString(),
    actor: actor.name,
    projectId: null,
    teamId: team.id,
    subjectUserId: details.subjectUserId ?? null,
    audience: null,
    data: { team: team.name, ...details.data }
  };
}

/** The JSON an event is shown and delivered as. */
export function eventView(row: EventRow): EventView {
  return { id: String(row.seq), type: row.type, at: row.created_at, actor: row.actor, ...(JSON.parse(row.data) as Record<string, unknown>) };
}

const MAX_CURSOR = Number.MAX_SAFE_INTEGER;

/**
 * Validates a feed cursor: the `next` (or an event `id`) of an earlier answer; none means the
 * beginning. @throws BadRequest for anything else.
 */
export function parseCursor(raw: unknown): number {
  if (raw === undefined) {
    return 0;
  }
  if (typeof raw !== 'string' || !/^\d{1,16}$/.test(raw) || Number(raw) > MAX_CURSOR) {
    throw new BadRequest('"since" must be a cursor from an earlier answer\'s "next" (or left out to start at the beginning).', 'invalid_cursor');
  }
  return Number(raw);
}

export const DEFAULT_FEED_LIMIT = 100;
export const MAX_FEED_LIMIT = 500;

/** Validates how many events to return. @throws BadRequest outside 1…MAX_FEED_LIMIT. */
export function parseFeedLimit(raw: unknown): number {
  if (raw === undefined) {
    return DEFAULT_FEED_LIMIT;
  }
  if (typeof raw !== 'string' || !/^\d{1,4}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_FEED_LIMIT) {
    throw new BadRequest(`"limit" must be a whole number from 1 to ${MAX_FEED_LIMIT}.`, 'invalid_limit');
  }
  return Number(raw);
}

/** How many stored events one feed request looks at, at most, so a reader who may see few stays cheap. */
const MAX_SCAN = 2000;
const SCAN_BATCH = 200;

/**
 * The event feed. Who sees an event is decided when it is read, with the current permissions
 * (the listing's rules, `project-listing.ts`; never cached): a project's events go to who can read the project now, a
 * team's to its members now, a grant or membership event also to the user it is about, and every
 * event to hub admins. Once a project or team is deleted there is nothing left to ask, so its
 * deletion event stores who could see it at that moment, and that list decides for all its events.
 */
export class Events {
  constructor(
    private readonly store: EventsStore,
    private readonly projectsStore: ProjectsStore,
    private readonly teamsStore: TeamsStore
  ) {}

  /**
   * The events after `since` that the caller may see, oldest first, at most `limit`; `next` is the
   * cursor to ask with next time, and `more` says whether to ask again right away. Each batch of
   * stored events is decided together: the projects and teams it names, a few queries in all
   * (not a few per project), each worked out once per request.
   */
  async feed(caller: Caller, since: number, limit: number): Promise<{ events: EventView[]; next: string; more: boolean }> {
    const decided = new Map<string, boolean>();
    const events: EventView[] = [];
    let next = since;
    let scanned = 0;
    while (scanned < MAX_SCAN) {
      const rows = await this.store.after(next, Math.min(SCAN_BATCH, MAX_SCAN - scanned));
      if (rows.length === 0) {
        return { events, next: String(next), more: false };
      }
      await this.decide(caller, rows, decided);
      for (const row of rows) {
        next = row.seq;
        scanned += 1;
        if (this.visible(caller, row, decided)) {
          events.push(eventView(row));
          if (events.length === limit) {
            return { events, next: String(next), more: true };
          }
        }
      }
    }
    return { events, next: String(next), more: true };
  }

  /** Whether the caller may see this one event now, by the feed's rule (for webhook deliveries). */
  async visibleTo(caller: Caller, row: EventRow): Promise<boolean> {
    const decided = new Map<string, boolean>();
    await this.decide(caller, [row], decided);
    return this.visible(caller, row, decided);
  }

  private visible(caller: Caller, row: EventRow, decided: ReadonlyMap<string, boolean>): boolean {
    if (caller.admin || row.subject_user_id === caller.id) {
      return true;
    }
    return (row.project_id !== null && decided.get(`project ${row.project_id}`) === true) || (row.team_id !== null && decided.get(`team ${row.team_id}`) === true);
  }

  /** Works out, for the projects and teams these events name and `decided` lacks, whether the caller may see them. */
  private async decide(caller: Caller, rows: readonly EventRow[], decided: Map<string, boolean>): Promise<void> {
    if (caller.admin) {
      return;
    }
    const pending = (kind: 'project' | 'team', ids: (string | null)[]) => [...new Set(ids)].filter((id): id is string => id !== null && !decided.has(`${kind} ${id}`));
    const projectIds = pending('project', rows.map(row => row.project_id));
    const teamIds = pending('team', rows.map(row => row.team_id));
    const [readable, existingProjects, teams] = await Promise.all([
      projectIds.length > 0 ? this.projectsStore.readable(caller, { scope: 'all', ids: projectIds }) : [],
      this.projectsStore.existing(projectIds),
      this.teamsStore.membershipAmong(teamIds, caller.id, caller.hubGroups)
    ]);
    const readableIds = new Set(readable.map(project => project.id));
    // Once a project or team is deleted, the audience its deletion stored decides.
    const [projectAudiences, teamAudiences] = await Promise.all([
      this.store.deletionAudiences('project', projectIds.filter(id => !existingProjects.has(id))),
      this.store.deletionAudiences('team', teamIds.filter(id => !teams.has(id)))
    ]);
    for (const id of projectIds) {
      const audience = projectAudiences.get(id);
      decided.set(`project ${id}`, readableIds.has(id) || (audience !== undefined && (audience.everyone || audience.users.includes(caller.id))));
    }
    for (const id of teamIds) {
      decided.set(`team ${id}`, teams.get(id) ?? teamAudiences.get(id)?.users.includes(caller.id) ?? false);
    }
  }
}
