import { parseUserName } from '../../shared/names';
import type { AccountsStore } from '../storage/accounts-store';
import type { ProjectsStore } from '../storage/projects-store';
import type { TeamsStore } from '../storage/teams-store';
import type { DueDelivery } from '../storage/webhooks-store';
import type { Caller } from './accounts';
import type { Events } from './events';
import type { Projects } from './projects';

/**
 * A webhook speaks for the person who made it: it receives only what they may see now, and only
 * while they still manage what it hangs on (admin of its project, maintainer of its team, or hub
 * admin). Someone who left the team or lost admin no longer receives anything through a webhook
 * they made. Decided before each attempt, with current permissions, as the event feed does;
 * under JupyterHub the creator's hub admin flag and groups are as the hub last told the service.
 */
export class WebhookAudience {
  constructor(
    private readonly accounts: AccountsStore,
    private readonly projects: Projects,
    private readonly projectsStore: ProjectsStore,
    private readonly teamsStore: TeamsStore,
    private readonly events: Events
  ) {}

  /** Why this delivery must not go out now (words for the delivery log), or null when it may. */
  async refusal(delivery: DueDelivery): Promise<string | null> {
    const user = await this.accounts.userByName(delivery.webhook.createdBy);
    if (!user) {
      return 'Not sent: the person who made this webhook is no longer a user here.';
    }
    const creator: Caller = { id: user.id, name: parseUserName(user.name), admin: user.is_admin === 1, hubGroups: [] };
    const { projectId, teamId } = delivery.webhook;
    // A deleted project or team leaves its last events (its deletion) to the feed's rule alone.
    const project = projectId === null ? undefined : await this.projectsStore.byId(projectId);
    if (project && (await this.projects.levelOf(creator, project)) !== 'admin') {
      return `Not sent: ${creator.name}, who made this webhook, no longer administers the project.`;
    }
    const team = teamId === null ? undefined : await this.teamsStore.byId(teamId);
    if (team && !creator.admin && (await this.teamsStore.roleOf(team.id, creator.id))?.role !== 'maintainer') {
      return `Not sent: ${creator.name}, who made this webhook, no longer maintains the team.`;
    }
    if (!(await this.events.visibleTo(creator, delivery.event))) {
      return `Not sent: ${creator.name}, who made this webhook, may not see this event.`;
    }
    return null;
  }
}
