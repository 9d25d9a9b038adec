import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../http-harness';
import { cloneUrl, GitClient } from './git-client';
import { callApi, startTestService, type TestService } from './service-harness';
import { testEngines } from './test-databases';

interface FeedEvent {
  id: string;
  type: string;
  actor: string;
  project?: { owner: string; name: string };
  team?: string;
  [detail: string]: unknown;
}
interface Feed {
  events: FeedEvent[];
  next: string;
  more: boolean;
}

describe.each(testEngines())('the event feed, on %s', engine => {
  let service: TestService;
  const tokens: Record<string, string> = {};

  const api = (user: string, method: string, path: string, body?: unknown) => callApi(service, tokens[user], method, path, body);
  const ok = async (user: string, method: string, path: string, body?: unknown) => {
    const response = await api(user, method, path, body);
    expect(response.status, `${method} ${path}`).toBeLessThan(300);
  };
  const feed = async (user: string, query = ''): Promise<Feed> => {
    const response = await api(user, 'GET', `/events${query}`);
    expect(response.status).toBe(200);
    return (await response.json()) as Feed;
  };
  const summary = (events: FeedEvent[]) => events.map(event => `${event.type} ${event.project?.name ?? event.team ?? ''}`.trim());

  beforeEach(async () => {
    service = await startTestService(engine);
    for (const user of ['alice', 'bob', 'carol']) {
      tokens[user] = await service.userWithToken(user);
    }
    tokens.hank = await service.userWithToken('hank', { admin: true });
  });
  afterEach(() => service.close());

  it('shows each caller only the events of projects they can read now, and hub admins everything', async () => {
    await ok('alice', 'POST', '/projects', { name: 'analysis' });
    await ok('alice', 'POST', '/projects', { name: 'secret' });
    expect((await feed('bob')).events).toEqual([]);

    await ok('alice', 'PUT', '/projects/alice/analysis/grants/users/bob', { level: 'read' });
    await ok('alice', 'PATCH', '/projects/alice/analysis', { name: 'analysis-2' });
    // Neither an empty change nor removing a grant that is not there is an event.
    await ok('alice', 'PATCH', '/projects/alice/analysis-2', {});
    expect((await api('alice', 'DELETE', '/projects/alice/analysis-2/grants/users/carol')).status).toBe(404);
    const bobs = await feed('bob');
    expect(summary(bobs.events)).toEqual(['project.created analysis', 'grant.changed analysis', 'project.renamed analysis-2']);
    expect(bobs.events[1]).toMatchObject({ actor: 'alice', user: 'bob', level: 'read' });
    expect(bobs.events[2]).toMatchObject({ previousName: 'analysis', changes: { name: 'analysis-2' } });
    expect((await feed('carol')).events).toEqual([]);
    expect(summary((await feed('hank')).events)).toContain('project.created secret');

    // Permissions are read at every request: a grant taken away takes the project's events with it,
    // but the user it is about still sees that it happened.
    await ok('alice', 'DELETE', '/projects/alice/analysis-2/grants/users/bob');
    expect(summary((await feed('bob')).events)).toEqual(['grant.changed analysis', 'grant.removed analysis-2']);
  });

  it('keeps a deleted project\'s events visible to who could read it, and only to them', async () => {
    await ok('alice', 'POST', '/teams', { name: 'crew' });
    await ok('alice', 'PUT', '/teams/crew/members/carol', {});
    await ok('alice', 'POST', '/projects', { name: 'doomed' });
    await ok('alice', 'PUT', '/projects/alice/doomed/grants/teams/crew', { level: 'read' });
    await ok('alice', 'DELETE', '/projects/alice/doomed');

    const carols = summary((await feed('carol')).events);
    expect(carols).toEqual(['team.created crew', 'member.changed crew', 'project.created doomed', 'grant.changed doomed', 'project.deleted doomed']);
    expect(summary((await feed('alice')).events)).toContain('project.deleted doomed');
    expect((await feed('bob')).events).toEqual([]);

    // A new project of the same name is another project: its audience is its own.
    await ok('alice', 'POST', '/projects', { name: 'doomed' });
    expect(summary((await feed('carol')).events)).toEqual(carols);
  });

  it('shows a team\'s events to its members, and a deleted team\'s to who was in it', async () => {
    await ok('alice', 'POST', '/teams', { name: 'crew' });
    await ok('alice', 'PUT', '/teams/crew/members/bob', { role: 'maintainer' });
    await ok('bob', 'DELETE', '/teams/crew/members/bob');
    expect(summary((await feed('bob')).events)).toEqual(['member.changed crew', 'member.removed crew']);
    await ok('alice', 'PUT', '/teams/crew/members/carol', {});
    await ok('alice', 'DELETE', '/teams/crew');
    expect(summary((await feed('carol')).events)).toEqual(['team.created crew', 'member.changed crew', 'member.removed crew', 'member.changed crew', 'team.deleted crew']);
    expect(summary((await feed('bob')).events)).toEqual(['member.changed crew', 'member.removed crew']);
  });

  it('pages with an opaque cursor: next picks up exactly where the last answer stopped', async () => {
    for (const name of ['one', 'two', 'three', 'four', 'five']) {
      await ok('alice', 'POST', '/projects', { name });
    }
    const first = await feed('alice', '?limit=2');
    expect(summary(first.events)).toEqual(['project.created one', 'project.created two']);
    expect(first.more).toBe(true);
    const second = await feed('alice', `?since=${first.next}&limit=2`);
    expect(summary(second.events)).toEqual(['project.created three', 'project.created four']);
    const rest = await feed('alice', `?since=${second.next}`);
    expect(summary(rest.events)).toEqual(['project.created five']);
    expect(rest.more).toBe(false);
    const idle = await feed('alice', `?since=${rest.next}`);
    expect(idle).toEqual({ events: [], next: rest.next, more: false });
  });

  it('lets a reader that follows next while changes land concurrently miss none of them', async () => {
    await ok('alice', 'POST', '/projects', { name: 'busy' });
    let writing = true;
    const writers = Promise.all(
      Array.from({ length: 40 }, (_, index) => ok('alice', 'PATCH', '/projects/alice/busy', { description: `change ${index}` }))
    ).finally(() => {
      writing = false;
    });
    const seen: string[] = [];
    let cursor = '0';
    const read = async () => {
      const page = await feed('alice', `?since=${cursor}&limit=7`);
      seen.push(...page.events.map(event => event.id));
      cursor = page.next;
      return page;
    };
    while (writing) {
      await read();
    }
    await writers;
    while ((await read()).events.length > 0) {
      // the rest, after the last write
    }
    const all = (await feed('hank', '?limit=500')).events.map(event => event.id);
    expect(all).toHaveLength(41);
    expect(seen).toEqual(all);
  });

  it.each(['abc', '-1', '1.5', '', '99999999999999999999', '1e3'])('refuses the cursor %j with a 400 that says what a cursor is', async cursor => {
    const response = await api('alice', 'GET', `/events?since=${encodeURIComponent(cursor)}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_cursor', message: expect.stringMatching(/next/) } });
  });

  it.each(['0', '501', 'many'])('refuses the limit %j', async limit => {
    expect((await api('alice', 'GET', `/events?limit=${limit}`)).status).toBe(400);
  });

  it('records a push per changed ref with old and new commit and pusher, and nothing for a refused push', async () => {
    await ok('alice', 'POST', '/projects', { name: 'analysis' });
    await ok('alice', 'PUT', '/projects/alice/analysis/grants/users/bob', { level: 'write' });
    const work = temporaryDirectory('hubshare-events-');
    try {
      const git = new GitClient(join(work.path, 'home'));
      const commit = async (dir: string, text: string) => {
        writeFileSync(join(dir, 'a.txt'), text);
        await git.run(['add', 'a.txt'], dir);
        await git.run(['commit', '-q', '-m', text], dir);
        return (await git.run(['rev-parse', 'HEAD'], dir)).stdout.trim();
      };
      const mine = join(work.path, 'alice');
      const theirs = join(work.path, 'bob');
      await git.run(['clone', '-q', cloneUrl(service.url, 'alice', tokens.alice, 'alice/analysis'), mine]);
      await git.run(['clone', '-q', cloneUrl(service.url, 'bob', tokens.bob, 'alice/analysis'), theirs]);
      const first = await commit(mine, 'first');
      await git.run(['push', '-q', 'origin', 'main', 'main:side'], mine);
      const second = await commit(mine, 'second');
      await git.run(['push', '-q', 'origin', 'main'], mine);
      await commit(theirs, 'stale');
      expect((await git.attempt(['push', 'origin', 'main'], theirs)).ok).toBe(false);

      const pushes = (await feed('bob')).events.filter(event => event.type === 'push');
      expect(pushes.map(({ actor, ref, before, after }) => ({ actor, ref, before, after }))).toEqual([
        { actor: 'alice', ref: 'refs/heads/main', before: null, after: first },
        { actor: 'alice', ref: 'refs/heads/side', before: null, after: first },
        { actor: 'alice', ref: 'refs/heads/main', before: first, after: second }
      ]);
      expect(pushes[0].project).toEqual({ owner: 'alice', name: 'analysis' });
    } finally {
      work.remove();
    }
  });
});
