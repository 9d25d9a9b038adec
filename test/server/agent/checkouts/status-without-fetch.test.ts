import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Checkouts } from '../../../../server/agent/checkouts/checkouts';
import { HubShareError } from '../../../../server/shared/errors';
import { aliceAndBob, grantAccess } from './checkout-harness';

const { world, as } = aliceAndBob('hubshare-status-');

/** The requests the service logged whose path contains `part`. */
const requests = (part: string) => world.service.logs.filter(line => (JSON.parse(line) as { msg?: string }).msg?.includes(part)).length;

describe('status without a fetch per checkout', () => {
  it('asks the service once where the projects stand and fetches only those that moved', async () => {
    const mine: Record<string, string> = {};
    const theirs: Record<string, string> = {};
    for (const name of ['one', 'two', 'three']) {
      mine[name] = join(world.work.path, `alice-${name}`);
      mkdirSync(mine[name]);
      writeFileSync(join(mine[name], 'notes.txt'), `${name}\n`);
      expect((await as('alice', mine[name], 'publish', '--name', name)).code).toBe(0);
      await grantAccess(world.service, world.tokens.alice, `alice/${name}`, 'bob', 'read');
      theirs[name] = join(world.work.path, `bob-${name}`);
      expect((await as('bob', world.work.path, 'checkout', `alice/${name}`, theirs[name])).code).toBe(0);
    }
    const bob = new Checkouts({ url: world.service.url, token: world.tokens.bob, userName: 'bob' });
    const roots = [theirs.one, theirs.two, theirs.three];
    const fetches = () => requests('git-upload-pack');
    const before = { fetches: fetches(), heads: requests('/api/v1/projects/heads') };

    // Nothing moved: one request for all three, no fetch.
    const idle = await bob.statuses(roots);
    expect(idle.map(answer => answer.status?.state)).toEqual(['clean', 'clean', 'clean']);
    expect(fetches()).toBe(before.fetches);
    expect(requests('/api/v1/projects/heads')).toBe(before.heads + 1);

    // One moved: only that one is fetched, and it says so.
    writeFileSync(join(mine.two, 'notes.txt'), 'two, changed\n');
    expect((await as('alice', mine.two, 'push')).code).toBe(0);
    const moved = await bob.statuses(roots);
    expect(moved.map(answer => [answer.status?.state, answer.status?.behind])).toEqual([
      ['clean', 0],
      ['behind', 1],
      ['clean', 0]
    ]);
    const afterMove = fetches();
    expect(afterMove).toBeGreaterThan(before.fetches);
    // The tracking ref now matches: asking again fetches nothing, one checkout or all.
    expect((await bob.status(theirs.two)).state).toBe('behind');
    await bob.statuses(roots);
    expect(fetches()).toBe(afterMove);

    // Access gone: that checkout answers why, the others still answer.
    expect((await fetch(`${world.service.url}/api/v1/projects/alice/three/grants/users/bob`, { method: 'DELETE', headers: { Authorization: `token ${world.tokens.alice}` } })).status).toBe(204);
    const revoked = await bob.statuses(roots);
    expect(revoked[0].status?.state).toBe('clean');
    expect(revoked[2].error).toBeInstanceOf(HubShareError);
    expect((revoked[2].error as HubShareError).code).toBe('no_such_project');
  });
});
