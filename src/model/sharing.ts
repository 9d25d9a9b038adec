import { hubshareUrl, requestAPI, sendJSON } from '../request';
import { StepModel } from './step-model';

export type Level = 'read' | 'write' | 'admin';
export type Visibility = 'private' | 'hub';
export type PagesSetting = 'off' | 'project' | 'hub';
export type TeamRole = 'member' | 'maintainer';

/** A project's settings as the service shows them, with the caller's level. */
export interface ProjectSettings {
  owner: string;
  name: string;
  description: string;
  visibility: Visibility;
  pages: PagesSetting;
  myLevel: Level;
}

export interface Grants {
  users: { name: string; level: Level }[];
  teams: { name: string; level: Level }[];
}

export interface TeamSummary {
  name: string;
  description: string;
  /** `hub` teams mirror JupyterHub groups and are managed there. */
  source: 'hubshare' | 'hub';
  memberCount: number;
}

export interface TeamDetail {
  name: string;
  description: string;
  source: 'hubshare' | 'hub';
  members: { name: string; role: TeamRole }[];
}

/** The agent's sharing routes; injected so models are tested without a server. */
export interface SharingApi {
  project(project: string): Promise<ProjectSettings>;
  update(project: string, changes: Partial<Pick<ProjectSettings, 'visibility' | 'pages' | 'description'>>): Promise<ProjectSettings>;
  grants(project: string): Promise<Grants>;
  grant(project: string, kind: 'users' | 'teams', name: string, level: Level): Promise<void>;
  revoke(project: string, kind: 'users' | 'teams', name: string): Promise<void>;
  teams(): Promise<TeamSummary[]>;
  team(name: string): Promise<TeamDetail>;
  createTeam(name: string, description: string): Promise<void>;
  deleteTeam(name: string): Promise<void>;
  putMember(team: string, user: string, role: TeamRole): Promise<void>;
  removeMember(team: string, user: string): Promise<void>;
  /** Where a project's web pages open in the browser (through the user's own server). */
  pagesUrl(project: string): string;
}

const segment = encodeURIComponent;

export const sharingApi: SharingApi = {
  project: project => requestAPI(`api/projects/${project}`),
  update: (project, changes) => sendJSON(`api/projects/${project}`, 'PATCH', changes),
  grants: project => requestAPI(`api/projects/${project}/grants`),
  grant: async (project, kind, name, level) => {
    await sendJSON(`api/projects/${project}/grants/${kind}/${segment(name)}`, 'PUT', { level });
  },
  revoke: async (project, kind, name) => {
    await sendJSON(`api/projects/${project}/grants/${kind}/${segment(name)}`, 'DELETE');
  },
  teams: async () => (await requestAPI<{ teams: TeamSummary[] }>('api/teams')).teams,
  team: name => requestAPI(`api/teams/${segment(name)}`),
  createTeam: async (name, description) => {
    await sendJSON('api/teams', 'POST', { name, description });
  },
  deleteTeam: async name => {
    await sendJSON(`api/teams/${segment(name)}`, 'DELETE');
  },
  putMember: async (team, user, role) => {
    await sendJSON(`api/teams/${segment(team)}/members/${segment(user)}`, 'PUT', { role });
  },
  removeMember: async (team, user) => {
    await sendJSON(`api/teams/${segment(team)}/members/${segment(user)}`, 'DELETE');
  },
  pagesUrl: project => hubshareUrl(`pages/${project}/`)
};

/**
 * The Share dialog's state: a project's settings and grants, changed one step at a time, each
 * step re-reading what the service now holds. Errors are kept in words for the dialog.
 */
export class ShareModel extends StepModel {
  settings: ProjectSettings | null = null;
  grants: Grants = { users: [], teams: [] };
  teams: string[] = [];

  constructor(
    readonly project: string,
    private readonly api: SharingApi = sharingApi
  ) {
    super();
  }

  /** Whether the user may change who has access (admins only; others see the list). */
  get canManage(): boolean {
    return this.settings?.myLevel === 'admin';
  }

  /** The address of the project's web pages while they are on, else null. */
  get pagesUrl(): string | null {
    return this.settings && this.settings.pages !== 'off' ? this.api.pagesUrl(this.project) : null;
  }

  load(): Promise<void> {
    return this.step(async () => {
      const [settings, grants, teams] = await Promise.all([this.api.project(this.project), this.api.grants(this.project), this.api.teams()]);
      this.settings = settings;
      this.grants = grants;
      this.teams = teams.map(team => team.name);
    });
  }

  /** Gives (or changes) access for a user or a team. */
  grant(kind: 'users' | 'teams', name: string, level: Level): Promise<void> {
    const trimmed = name.trim();
    if (!trimmed) {
      this.error = kind === 'users' ? 'Type the user name of the person to share with.' : 'Pick a team to share with.';
      this.emitChanged();
      return Promise.resolve();
    }
    return this.step(async () => {
      await this.api.grant(this.project, kind, trimmed, level);
      this.grants = await this.api.grants(this.project);
    });
  }

  revoke(kind: 'users' | 'teams', name: string): Promise<void> {
    return this.step(async () => {
      await this.api.revoke(this.project, kind, name);
      this.grants = await this.api.grants(this.project);
    });
  }

  update(changes: Partial<Pick<ProjectSettings, 'visibility' | 'pages'>>): Promise<void> {
    return this.step(async () => {
      this.settings = await this.api.update(this.project, changes);
    });
  }
}

/** The Teams dialog's state: every team, and the one being looked at with its members. */
export class TeamsModel extends StepModel {
  teams: TeamSummary[] = [];
  selected: TeamDetail | null = null;

  constructor(
    readonly userName: string,
    private readonly api: SharingApi = sharingApi,
    /** A hub admin, who may manage every HubShare team (as the service allows). */
    readonly isAdmin = false
  ) {
    super();
  }

  /** Whether the user may change the selected team: a HubShare team they maintain, or any one for an admin. */
  get canManageSelected(): boolean {
    const team = this.selected;
    return (
      !!team && team.source === 'hubshare' && (this.isAdmin || team.members.some(member => member.name === this.userName && member.role === 'maintainer'))
    );
  }

  load(): Promise<void> {
    return this.step(async () => {
      this.teams = await this.api.teams();
    });
  }

  select(name: string): Promise<void> {
    return this.step(async () => {
      this.selected = await this.api.team(name);
    });
  }

  create(name: string, description: string): Promise<void> {
    return this.step(async () => {
      await this.api.createTeam(name.trim(), description.trim());
      this.teams = await this.api.teams();
      this.selected = await this.api.team(name.trim());
    });
  }

  putMember(user: string, role: TeamRole): Promise<void> {
    return this.onSelected(async team => this.api.putMember(team, user.trim(), role));
  }

  removeMember(user: string): Promise<void> {
    return this.onSelected(async team => this.api.removeMember(team, user));
  }

  private onSelected(work: (team: string) => Promise<void>): Promise<void> {
    const team = this.selected?.name;
    if (!team) {
      return Promise.resolve();
    }
    return this.step(async () => {
      await work(team);
      this.selected = await this.api.team(team);
      this.teams = await this.api.teams();
    });
  }
}
