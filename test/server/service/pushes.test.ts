import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Pushes } from '../../../server/service/domain/pushes';
import { GitRunner } from '../../../server/service/git/git-runner';
import { Repositories } from '../../../server/service/git/repositories';
import type { NewEvent } from '../../../server/service/storage/events-store';
import { parseUserName } from '../../../server/shared/names';
import { temporaryDirectory } from '../http-harness';

const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach(dir => dir.remove()));

describe('Pushes', () => {
  it('tells whoever closes the service when the pushes already answered have recorded their events', async () => {
    const dir = temporaryDirectory('hubshare-pushes-');
    dirs.push(dir);
    const repositories = new Repositories(join(dir.path, 'repositories'), new GitRunner(dir.path));
    const project = { id: 'a'.repeat(24), owner_name: 'alice', name: 'study' };
    await repositories.create(project.id);
    const recorded: NewEvent[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>(resolve => (release = resolve));
    // The database is slow to take the event (a busy machine): the pusher has had git's answer.
    const events = {
      async recordRefs(_projectId: string, _refs: ReadonlyMap<string, string>, eventsOf: (recorded: ReadonlyMap<string, string> | null) => NewEvent[]) {
        recorded.push(...eventsOf(new Map()));
        await gate;
      }
    };
    const pushes = new Pushes(repositories, events, { byId: async () => undefined }, { now: () => new Date() }, () => undefined);
    const gitDir = repositories.pathOf(project.id);
    const git = (...args: string[]) => execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8' }).trim();
    const pushed = pushes.recording({ id: 'u1', name: parseUserName('alice'), admin: false, hubGroups: [] }, project, async () => {
      const tree = git('mktree');
      git('update-ref', 'refs/heads/main', git('-c', 'user.name=A', '-c', 'user.email=a@example.org', 'commit-tree', tree, '-m', 'first'));
    });
    while (recorded.length === 0) {
      await new Promise(resolve => setTimeout(resolve, 5));
    }
    let idle = false;
    const closing = pushes.idle().then(() => (idle = true));
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(idle).toBe(false);
    release();
    await closing;
    await pushed;
    expect(recorded.map(event => [event.type, event.data.ref])).toEqual([['push', 'refs/heads/main']]);
  });
});
