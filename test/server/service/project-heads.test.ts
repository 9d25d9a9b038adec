import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../http-harness';
import { cloneUrl, GitClient } from './git-client';
import { callApi, startTestService, type TestService } from './service-harness';
import { testEngines } from './test-databases';

describe.each(testEngines())('where projects stand, in one request, on %s', engine => {
  let service: TestService;
  let work: ReturnType<typeof temporaryDirectory>;
  const tokens: Record<string, string> = {};
  const api = (user: string, method: string, path: string, body?: unknown) => callApi(service, tokens[user], method, path, body);

  beforeAll(async () => {
    service = await startTestService(engine);
    work = temporaryDirectory('hubshare-heads-');
    for (const user of ['alice', 'bob']) {
      tokens[user] = await service.userWithToken(user);
    }
    for (const name of ['pushed', 'empty', 'secret']) {
      expect((await api('alice', 'POST', '/projects', { name })).status).toBe(201);
    }
    expect((await api('alice', 'PUT', '/projects/alice/pushed/grants/users/bob', { level: 'read' })).status).toBe(200);
    expect((await api('alice', 'PUT', '/projects/alice/empty/grants/users/bob', { level: 'read' })).status).toBe(200);
  });
  afterAll(async () => {
    await service?.close();
    work?.remove();
  });

  it('answers the main commit of each named project the caller may read, null before a push, and leaves the others out', async () => {
    const git = new GitClient(join(work.path, 'home'));
    const clone = join(work.path, 'pushed');
    await git.run(['clone', '-q', cloneUrl(service.url, 'alice', tokens.alice, 'alice/pushed'), clone]);
    writeFileSync(join(clone, 'notes.txt'), 'hello\n');
    await git.run(['add', 'notes.txt'], clone);
    await git.run(['commit', '-q', '-m', 'first'], clone);
    await git.run(['push', '-q', 'origin', 'HEAD:main'], clone);
    const commit = (await git.run(['rev-parse', 'HEAD'], clone)).stdout.trim();

    const asked = { projects: ['alice/pushed', 'alice/empty', 'alice/secret', 'alice/nothing-here', 'nobody/at-all'] };
    expect(await (await api('bob', 'POST', '/projects/heads', asked)).json()).toEqual({ heads: { 'alice/pushed': commit, 'alice/empty': null } });
    expect(await (await api('alice', 'POST', '/projects/heads', asked)).json()).toEqual({ heads: { 'alice/pushed': commit, 'alice/empty': null, 'alice/secret': null } });
    expect(await (await api('bob', 'POST', '/projects/heads', { projects: [] })).json()).toEqual({ heads: {} });
  });
});
