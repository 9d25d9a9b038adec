// A project is created repository first, then its row; deleted row first, then its repository
// (renamed aside, then removed). A kill between the two steps leaves a repository with no
// project, or a renamed-aside folder, that nothing ever removed. These leave them as such a kill
// does; the service clears them at start (an orphan only once it is older than any create under
// way on another replica could be).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callApi, repositoryOf, startTestService, type TestService } from '../service-harness';
import { testEngines } from '../test-databases';

describe.each(testEngines())('what a killed create or delete left, on %s', engine => {
  let service: TestService;
  beforeEach(async () => {
    service = await startTestService(engine);
  });
  afterEach(() => service.close());

  it('removes repositories without a project and half-deleted folders at start, and nothing else', async () => {
    const token = await service.userWithToken('alice');
    expect((await callApi(service, token, 'POST', '/projects', { name: 'kept' })).status).toBe(201);
    const root = join(service.dataDir, 'repositories');
    const orphan = (id: string, hoursAgo: number) => {
      const path = join(root, `${id}.git`);
      execFileSync('git', ['init', '-q', '--bare', path]);
      const then = new Date(Date.now() - hoursAgo * 3_600_000);
      utimesSync(path, then, then);
      return path;
    };
    const killedCreate = orphan('a'.repeat(24), 3);
    const createUnderWay = orphan('b'.repeat(24), 0);
    const halfDeleted = join(root, `.deleted-${'c'.repeat(24)}-1a2b3c4d`);
    mkdirSync(join(halfDeleted, 'objects'), { recursive: true });
    writeFileSync(join(halfDeleted, 'HEAD'), 'ref: refs/heads/main\n');
    await service.restart();
    for (let waited = 0; (existsSync(killedCreate) || existsSync(halfDeleted)) && waited < 5_000; waited += 20) {
      await new Promise(resolve => setTimeout(resolve, 20));
    }
    expect(existsSync(killedCreate)).toBe(false);
    expect(existsSync(halfDeleted)).toBe(false);
    expect(existsSync(createUnderWay)).toBe(true);
    const repository = await repositoryOf(service, 'kept');
    expect(existsSync(join(repository, 'HEAD'))).toBe(true);
    expect((await callApi(service, token, 'GET', '/projects/alice/kept')).status).toBe(200);
  });
});
