// The service answers a push when git has updated the ref, and records its event after: a kill in
// between (seen under kill -9: 2-4 acknowledged pushes a run with no event) left a ref change the
// feed never told. These make that change exactly as a killed push leaves it (the ref moved in
// the repository, no event) by pushing into the repository past the service.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../../http-harness';
import { cloneUrl, GitClient } from '../git-client';
import { callApi, repositoryOf, startTestService, type TestService } from '../service-harness';
import { testEngines } from '../test-databases';

interface PushEvent {
  type: string;
  actor: string;
  ref: string;
  before: string | null;
  after: string | null;
  recovered?: boolean;
}

describe.each(testEngines())('push events lost to a kill, on %s', engine => {
  let service: TestService;
  let work: ReturnType<typeof temporaryDirectory>;
  let client: GitClient;
  let token = '';
  let gitDir = '';
  const clone = () => join(work.path, 'clone');

  const commit = async (text: string) => {
    writeFileSync(join(clone(), 'notes.txt'), `${text}\n`);
    await client.run(['-C', clone(), 'add', '.']);
    await client.run(['-C', clone(), 'commit', '-q', '-m', text]);
    return (await client.run(['-C', clone(), 'rev-parse', 'HEAD'])).stdout.trim();
  };
  const viaService = async () => {
    await client.run(['-C', clone(), 'remote', 'set-url', 'origin', cloneUrl(service.url, 'alice', token, 'alice/study')]);
    await client.run(['-C', clone(), 'push', '-q', 'origin', 'HEAD:main']);
  };
  /** The ref update of a push whose process died before it recorded the event. */
  const pastTheService = () => client.run(['-C', clone(), 'push', '-q', gitDir, 'HEAD:main']);
  const pushEvents = async (): Promise<PushEvent[]> => {
    const response = await callApi(service, token, 'GET', '/events?limit=500');
    expect(response.status).toBe(200);
    const { events } = (await response.json()) as { events: PushEvent[] };
    return events.filter(event => event.type === 'push').map(({ type, actor, ref, before, after, recovered }) => ({ type, actor, ref, before, after, ...(recovered ? { recovered } : {}) }));
  };

  /** The push events once there are `count` (events are recorded just after git answers the pusher). */
  const settled = async (count: number): Promise<PushEvent[]> => {
    let events = await pushEvents();
    for (let waited = 0; events.length < count && waited < 5_000; waited += 50) {
      await new Promise(resolve => setTimeout(resolve, 50));
      events = await pushEvents();
    }
    return events;
  };

  beforeEach(async () => {
    service = await startTestService(engine);
    work = temporaryDirectory('hubshare-lost-events-');
    client = new GitClient(join(work.path, 'home'));
    token = await service.userWithToken('alice');
    expect((await callApi(service, token, 'POST', '/projects', { name: 'study' })).status).toBe(201);
    await client.run(['init', '-q', '-b', 'main', clone()]);
    await client.run(['-C', clone(), 'remote', 'add', 'origin', `${service.url}/git/alice/study.git`]);
    gitDir = await repositoryOf(service, 'study');
  });
  afterEach(async () => {
    await service.close();
    work.remove();
  });

  it('a push acknowledged just before a kill has its event in the feed once the service is back', async () => {
    const first = await commit('first');
    await viaService();
    const second = await commit('second');
    await pastTheService();
    await service.restart();
    // Recorded at start, before anyone pushes again.
    expect(await settled(2)).toEqual([
      { type: 'push', actor: 'alice', ref: 'refs/heads/main', before: null, after: first },
      { type: 'push', actor: '(unknown)', ref: 'refs/heads/main', before: first, after: second, recovered: true }
    ]);
    // Once: a second start finds nothing more to tell.
    await service.restart();
    await new Promise(resolve => setTimeout(resolve, 300));
    expect(await pushEvents()).toHaveLength(2);
  });

  it('a lost event is told before the next push through the service, without a restart', async () => {
    const first = await commit('first');
    await viaService();
    const second = await commit('second');
    await pastTheService();
    const third = await commit('third');
    await viaService();
    expect(await settled(3)).toEqual([
      { type: 'push', actor: 'alice', ref: 'refs/heads/main', before: null, after: first },
      { type: 'push', actor: '(unknown)', ref: 'refs/heads/main', before: first, after: second, recovered: true },
      { type: 'push', actor: 'alice', ref: 'refs/heads/main', before: second, after: third }
    ]);
  });

  it('tells nothing new at start of a project whose repository was never recorded (created before this was kept)', async () => {
    await commit('first');
    await pastTheService();
    // As a project created before the states were kept: no record of its repository.
    await service.data.db.deleteFrom('repository_states').execute();
    await service.restart();
    await new Promise(resolve => setTimeout(resolve, 300));
    expect(await pushEvents()).toEqual([]);
    const second = await commit('second');
    await viaService();
    expect((await settled(1)).map(event => event.after)).toEqual([second]);
  });
});
