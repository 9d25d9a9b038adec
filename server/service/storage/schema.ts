import type { Generated, Selectable } from 'kysely';

/**
 * The tables, as Kysely sees them. Types are the ones both engines share: TEXT ids (random,
 * never user-supplied), ISO-8601 TEXT times, INTEGER 0/1 flags.
 */
export interface UsersTable {
  id: string;
  name: string;
  is_admin: number;
  created_at: string;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  token_hash: string;
  note: Generated<string>;
  created_at: string;
  last_used_at: string | null;
}

export interface ProjectsTable {
  id: string;
  owner_id: string;
  name: string;
  description: string;
  visibility: 'private' | 'hub';
  /** Static pages: `off`, readable by who can read the project, or by every user of the hub. */
  pages: Generated<'off' | 'project' | 'hub'>;
  created_at: string;
  updated_at: string;
}

export type ProjectRow = Selectable<ProjectsTable>;
/** A project with its owner's name, as every read of one answers it. */
export type ProjectWithOwner = ProjectRow & { owner_name: string };

export interface TeamsTable {
  id: string;
  name: string;
  description: string;
  /** `hubshare` teams are managed here; `hub` teams mirror JupyterHub groups and are read-only. */
  source: 'hubshare' | 'hub';
  created_at: string;
}

export interface TeamMembersTable {
  team_id: string;
  user_id: string;
  role: 'member' | 'maintainer';
  created_at: string;
}

export interface UserGrantsTable {
  project_id: string;
  user_id: string;
  level: 'read' | 'write' | 'admin';
  created_at: string;
}

export interface TeamGrantsTable {
  project_id: string;
  team_id: string;
  level: 'read' | 'write' | 'admin';
  created_at: string;
}

/**
 * The event feed: one row per change. `seq` is the feed's cursor. Who may see an event is decided
 * when it is read (see domain/events.ts); `audience` is set only on project.deleted and
 * team.deleted events: a JSON `{users, everyone}` of who could see the thing when it went.
 */
export interface EventsTable {
  seq: Generated<number>;
  type: string;
  created_at: string;
  /** The user name of who made the change. */
  actor: string;
  project_id: string | null;
  team_id: string | null;
  /** The user a grant or membership event is about: they see it even after losing access. */
  subject_user_id: string | null;
  audience: string | null;
  /** JSON: the project's owner/name and the team's name at the time, and the change itself. */
  data: string;
}

/** A URL that receives the events of one project or one team, signed with `secret`. */
export interface WebhooksTable {
  id: string;
  project_id: string | null;
  team_id: string | null;
  url: string;
  secret: string;
  created_by: string;
  created_at: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One event to one webhook: created with the event, then attempted until delivered or failed. */
export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  event_seq: number;
  status: DeliveryStatus;
  attempts: Generated<number>;
  next_attempt_at: string;
  last_attempt_at: string | null;
  response_status: number | null;
  error: string | null;
  created_at: string;
}

/**
 * Where each ref of a project's repository stood at its last recorded push: a ref that stands
 * elsewhere moved without its event (the process died in between), which the next push or start
 * tells. JSON `{ "refs/heads/main": "<id>", … }`. A project from before this was kept has no row.
 */
export interface RepositoryStatesTable {
  project_id: string;
  refs: string;
}

export interface HubShareSchema {
  users: UsersTable;
  api_tokens: ApiTokensTable;
  projects: ProjectsTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  user_grants: UserGrantsTable;
  team_grants: TeamGrantsTable;
  events: EventsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  repository_states: RepositoryStatesTable;
}
