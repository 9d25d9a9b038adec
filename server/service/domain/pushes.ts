import type { Repositories } from '../git/repositories';
import type { EventsStore } from '../storage/events-store';
import type { ProjectWithOwner } from '../storage/projects-store';
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
    private readonly events: Pick<EventsStore, 'record'>,
    private readonly clock: Clock,
    private readonly log: (message: string) => void
  ) {}

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
    const previous = this.underWay.get(project.id) ?? Promise.resolve();
    const mine = previous.then(() => this.pushAndRecord(pusher, project, push));
    const settled = mine.then(
      () => undefined,
      () => undefined
    );
    this.underWay.set(project.id, settled);
    try {
      await mine;
    } finally {
      if (this.underWay.get(project.id) === settled) {
        this.underWay.delete(project.id);
      }
    }
  }

  private async pushAndRecord(pusher: Caller, project: PushedProject, push: () => Promise<void>): Promise<void> {
    const before = await this.repositories.refs(project.id);
    await push();
    // The pusher has had git's answer by now; a failure here is the service's, so it is logged.
    try {
      const after = await this.repositories.refs(project.id);
      const at = this.clock.now();
      const changed = [...new Set([...before.keys(), ...after.keys()])]
        .sort()
        .filter(ref => before.get(ref) !== after.get(ref))
        .map(ref =>
          projectEvent('push', pusher, project, at, { data: { ref, before: before.get(ref) ?? null, after: after.get(ref) ?? null } })
        );
      await this.events.record(changed);
    } catch (error) {
      this.log(`could not record the push to project ${project.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
