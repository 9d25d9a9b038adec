// Two service processes on one PostgreSQL database and one data directory, as replicas behind a
// load balancer: people push to one project through either, and each push is attributed to who
// made it with the feed an unbroken chain; a revocation through one holds at once through the
// other; each webhook delivery is sent by one replica only; and a replica killed in the middle
// of a push leaves the other serving and the repository whole and pushable.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../../http-harness';
import { cloneUrl, GitClient } from '../git-client';
import { callApi } from '../service-harness';
import { freshPostgresDatabase, testEngines } from '../test-databases';
import { freePort, ServiceProcess, sleep } from './service-process';

interface FeedEvent {
  id: string;
  type: string;
  actor: string;
  ref?: string;
  before?: string | null;
  after?: string | null;
}

// Replicas need PostgreSQL (SQLite is one process); left out only when the PostgreSQL suites are
// (HUBSHARE_TEST_ENGINES=sqlite).
describe.skipIf(!testEngines().includes('postgres'))('two replicas on one PostgreSQL database', () => {
  const work = temporaryDirectory('hubshare-replicas-');
  const dataDir = join(work.path, 'data');
  const database = { url: '', drop: async () => undefined as void };
  let replicas: ServiceProcess[] = [];
  const tokens: Record<string, string> = {};
  const delivered: string[] = [];
  let receiver: Server;
  let receiverUrl = '';

  const feed = async (replica: ServiceProcess): Promise<FeedEvent[]> => {
    const events: FeedEvent[] = [];
    for (let since = '0'; ; ) {
      const page = (await (await callApi(replica, tokens.alice, 'GET', `/events?since=${since}&limit=500`)).json()) as { events: FeedEvent[]; next: string; more: boolean };
      events.push(...page.events);
      since = page.next;
      if (!page.more) {
        return events;
      }
    }
  };

  beforeAll(async () => {
    Object.assign(database, await freshPostgresDatabase());
    receiver = createServer((req, res) => {
      delivered.push(String(req.headers['x-hubshare-delivery']));
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    await new Promise<void>(resolve => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    replicas = [
      new ServiceProcess(dataDir, await freePort(), database.url, ['--webhook-allow-loopback-http']),
      new ServiceProcess(dataDir, await freePort(), database.url, ['--webhook-allow-loopback-http'])
    ];
    await Promise.all(replicas.map(replica => replica.start()));
    for (const user of ['alice', 'bob']) {
      await replicas[0].command(['user', 'add', user]);
      tokens[user] = await replicas[1].command(['token', 'create', user, '--note', 'replicas']);
    }
  }, 60_000);
  afterAll(async () => {
    await Promise.all(replicas.map(replica => replica.kill()));
    await new Promise(resolve => receiver.close(resolve));
    await database.drop();
    work.remove();
  });

  it('attributes every push across replicas, holds a revocation at once, delivers each event once, and survives a replica killed mid-push', async () => {
    const [a, b] = replicas;
    expect((await callApi(a, tokens.alice, 'POST', '/projects', { name: 'shared' })).status).toBe(201);
    expect((await callApi(b, tokens.alice, 'PUT', '/projects/alice/shared/grants/users/bob', { level: 'write' })).status).toBeLessThan(300);
    expect((await callApi(b, tokens.alice, 'POST', '/projects/alice/shared/webhooks', { url: receiverUrl })).status).toBe(201);
    const beforeWebhook = Number((await feed(a)).at(-1)?.id ?? 0);
    const client = new GitClient(join(work.path, 'home'));
    const acknowledged: { actor: string; commit: string }[] = [];
    // Each person pushes through the replicas in turn, both at once.
    const person = async (user: string) => {
      const dir = join(work.path, user);
      await client.run(['init', '-q', '-b', 'main', dir]);
      for (let round = 0; round < 8; round++) {
        const replica = replicas[round % 2];
        const url = cloneUrl(replica.url, user, tokens[user], 'alice/shared');
        writeFileSync(join(dir, `${user}.txt`), `round ${round}\n`);
        await client.run(['-C', dir, 'add', '.']);
        await client.run(['-C', dir, 'commit', '-q', '-m', `${user} ${round}`]);
        for (let attempt = 0; attempt < 10; attempt++) {
          await client.attempt(['-C', dir, 'pull', '-q', '--rebase', url, 'main']);
          if ((await client.attempt(['-C', dir, 'push', '-q', url, 'HEAD:main'])).ok) {
            acknowledged.push({ actor: user, commit: (await client.run(['-C', dir, 'rev-parse', 'HEAD'])).stdout.trim() });
            break;
          }
        }
      }
    };
    await Promise.all([person('alice'), person('bob')]);
    expect(acknowledged.length).toBe(16);
    await sleep(300);
    const pushes = (await feed(b)).filter(event => event.type === 'push');
    for (const { actor, commit } of acknowledged) {
      expect(pushes.find(event => event.after === commit)?.actor, `the push of ${commit}`).toBe(actor);
    }
    for (let index = 1; index < pushes.length; index++) {
      expect(pushes[index].before).toBe(pushes[index - 1].after);
    }

    // A revocation through one replica refuses bob's next request through the other.
    const revoked = Date.now();
    expect((await callApi(a, tokens.alice, 'DELETE', '/projects/alice/shared/grants/users/bob')).status).toBeLessThan(300);
    expect((await callApi(b, tokens.bob, 'GET', '/projects/alice/shared')).status).toBe(404);
    const revocationMs = Date.now() - revoked;

    // Each event since the webhook reached it once, whichever replica sent it.
    const webhookEvents = (await feed(a)).filter(event => Number(event.id) > beforeWebhook);
    for (let waited = 0; new Set(delivered).size < webhookEvents.length && waited < 20_000; waited += 200) {
      await sleep(200);
    }
    expect(new Set(delivered).size).toBe(webhookEvents.length);
    expect(delivered.length, 'no delivery sent twice').toBe(new Set(delivered).size);

    // A replica killed in the middle of a big push: the other serves, and takes the next push.
    const dir = join(work.path, 'alice');
    writeFileSync(join(dir, 'big.bin'), randomBytes(48 * 2 ** 20));
    await client.run(['-C', dir, 'add', '.']);
    await client.run(['-C', dir, 'commit', '-q', '-m', 'big']);
    const interrupted = client.attempt(['-C', dir, 'push', '-q', cloneUrl(a.url, 'alice', tokens.alice, 'alice/shared'), 'HEAD:main']);
    await sleep(400);
    await a.kill();
    await interrupted;
    expect((await callApi(b, tokens.alice, 'GET', '/projects/alice/shared')).status).toBe(200);
    const urlB = cloneUrl(b.url, 'alice', tokens.alice, 'alice/shared');
    await client.run(['-C', dir, 'pull', '-q', '--rebase', urlB, 'main']);
    writeFileSync(join(dir, 'after.txt'), 'after the kill\n');
    await client.run(['-C', dir, 'add', '.']);
    await client.run(['-C', dir, 'commit', '-q', '-m', 'after the kill']);
    await client.run(['-C', dir, 'push', '-q', urlB, 'HEAD:main']);
    console.log(
      `replicas: ${acknowledged.length} pushes through two replicas attributed exactly, ${pushes.length} push events in one chain; ` +
        `revocation held through the other replica after ${revocationMs} ms; ${delivered.length} webhook deliveries, none twice; one replica killed mid-push, the other took the next push`
    );
  }, 120_000);
});
