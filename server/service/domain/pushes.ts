import type { Repositories } from '../git/repositories';
import { removeStaleLeftovers } from '../git/stale-locks';
import type { ProjectLocks } from '../storage/project-locks';
import type { EventsStore, NewEvent } from '../storage/events-store';
import type { ProjectsStore, ProjectWithOwner } from '../storage/projects-store';
import type { UserName } from '../../shared/names';
import type { Caller, Clock } from './accounts';
import { projectEvent } from './events';

/** What a push event says of its project. */
type PushedProject = Pick<ProjectWithOwner, 'id' | 'owner_name' | 'name'>;

/**
 * Records a push event for every ref a push changed: the refs are read before and after
 * `git-receive-pack`, and nothing is recorded when nothing changed (a refused or empty push).
 */
export class Pushes {
  /** The last push under way on each project, so the next one waits for it. */
  private readonly underWay = new Map<string, Promise<void>>();

  constructor(
    private readonly repositories: Repositories,
    private readonly events: Pick<EventsStore, 'recordRefs'>,
    private readonly projects: Pick<ProjectsStore, 'byId'>,
    private readonly clock: Clock,
    private readonly log: (message: string) => void,
    /** The project's turn across processes (replicas on PostgreSQL), inside this process's turn. */
    private readonly locks: ProjectLocks = { exclusive: (_projectId, work) => work() }
  ) {}

  /**
   * Clears what killed pushes left in every repository and tells the ref changes whose events
   * they lost, each in its project's turn (a push that starts meanwhile waits, so its own lock is
   * never taken for a leftover, nor its change for a lost one). Run at start.
   */
  async recoverAll(projectIds: readonly string[]): Promise<void> {
    for (const projectId of projectIds) {
      await this.inTurn(projectId, async () => {
        await this.recover(projectId);
        await this.reconcile(projectId);
      });
    }
  }

  /**
   * Tells the ref changes of a project whose push died before it recorded them: the refs now
   * against the last record (nothing for a project never recorded: they are taken as they are).
   */
  private async reconcile(projectId: string): Promise<void> {
    const project = await this.projects.byId(projectId);
    if (!project) {
      return;
    }
    const refs = await this.repositories.refs(projectId);
    const at = this.clock.now();
    await this.events.recordRefs(projectId, refs, recorded => (recorded ? refEvents(recorded, refs, (ref, from, to) => lostPushEvent(project, at, ref, from, to)) : []));
  }

  /** Removes what a killed git left in a project's repository, and logs it. */
  private async recover(projectId: string): Promise<void> {
    const gitDir = this.repositories.pathOf(projectId);
    // In the project's turn no git of any replica works in its repository: whatever is there was
    // left by one that was killed.
    const removed = await removeStaleLeftovers(gitDir);
    if (removed.length > 0) {
      this.log(`removed what a killed git left in project ${projectId}'s repository: ${removed.join(', ')}`);
    }
  }

  /**
   * Runs `work` once every earlier turn on the project has ended, in this process and (holding
   * the project's lock) in every other; turns on other projects do not wait.
   */
  private async inTurn(projectId: string, work: () => Promise<void>): Promise<void> {
    const previous = this.underWay.get(projectId) ?? Promise.resolve();
    const mine = previous.then(() => this.locks.exclusive(projectId, work));
    const settled = mine.then(
      () => undefined,
      () => undefined
    );
    this.underWay.set(projectId, settled);
    try {
      await mine;
    } finally {
      if (this.underWay.get(projectId) === settled) {
        this.underWay.delete(projectId);
      }
    }
  }

  /**
   * Resolves when every push under way now has recorded its events (or logged why not): git has
   * answered the pusher before that, so whoever closes the database waits for this first.
   */
  async idle(): Promise<void> {
    while (this.underWay.size > 0) {
      await Promise.all(this.underWay.values());
    }
  }

  /**
   * Runs `push` (which serves the receive-pack request) and records what it changed. Pushes to
   * one project take turns in this process: were two to overlap, each would see the other's
   * update between its before and after and report it as its own. Separate projects do not wait.
   */
  async recording(pusher: Caller, project: PushedProject, push: () => Promise<void>): Promise<void> {
    await this.inTurn(project.id, () => this.pushAndRecord(pusher, project, push));
  }

  private async pushAndRecord(pusher: Caller, project: PushedProject, push: () => Promise<void>): Promise<void> {
    // A lock a killed push left would refuse this push's ref update (and every one after it).
    await this.recover(project.id);
    const before = await this.repositories.refs(project.id);
    await push();
    // The pusher has had git's answer by now; a failure here is the service's, so it is logged.
    try {
      const after = await this.repositories.refs(project.id);
      const at = this.clock.now();
      await this.events.recordRefs(project.id, after, recorded => [
        // What moved since the last record before this push began was a push whose process died
        // before it recorded the event (another replica's, or this one's before a restart).
        ...(recorded ? refEvents(recorded, before, (ref, from, to) => lostPushEvent(project, at, ref, from, to)) : []),
        ...refEvents(before, after, (ref, from, to) => projectEvent('push', pusher, project, at, { data: { ref, before: from, after: to } }))
      ]);
    } catch (error) {
      this.log(`could not record the push to project ${project.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** Who a push event names when the push's own record was lost: nobody knows who pushed. */
export const UNKNOWN_PUSHER = '(unknown)';

/** The event of a ref change whose push died before telling it, told once it is found. */
function lostPushEvent(project: PushedProject, at: Date, ref: string, before: string | null, after: string | null): NewEvent {
  return projectEvent('push', { id: '', name: UNKNOWN_PUSHER as UserName, admin: false, hubGroups: [] }, project, at, { data: { ref, before, after, recovered: true } });
}

/** One event per ref that differs between `from` and `to`, in the order of ref names. */
function refEvents(
  from: ReadonlyMap<string, string>,
  to: ReadonlyMap<string, string>,
  eventOf: (ref: string, before: string | null, after: string | null) => NewEvent
): NewEvent[] {
  return [...new Set([...from.keys(), ...to.keys()])]
    .sort()
    .filter(ref => from.get(ref) !== to.get(ref))
    .map(ref => eventOf(ref, from.get(ref) ?? null, to.get(ref) ?? null));
}

