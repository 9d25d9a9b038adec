import type { Generated } from 'kysely';

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

export interface HubShareSchema {
  users: UsersTable;
  api_tokens: ApiTokensTable;
  projects: ProjectsTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  user_grants: UserGrantsTable;
  team_grants: TeamGrantsTable;
}
