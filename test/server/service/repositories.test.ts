import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitRunner } from '../../../server/service/git/git-runner';
import { Repositories } from '../../../server/service/git/repositories';
import { temporaryDirectory } from '../http-harness';

describe('Repositories', () => {
  let dir: ReturnType<typeof temporaryDirectory>;
  let git: GitRunner;
  let repositories: Repositories;
  const id = 'a'.repeat(24);
  beforeEach(() => {
    dir = temporaryDirectory();
    git = new GitRunner(dir.path);
    repositories = new Repositories(dir.path, git, { maxPushBytes: 1234567 });
  });
  afterEach(() => dir.remove());

  it('creates a bare repository with the service\'s receive policy, as git itself reads it', async () => {
    await repositories.create(id);
    const config = async (key: string) => (await git.run(['--git-dir', repositories.pathOf(id), 'config', '--get', key])).trim();
    expect(await config('core.bare')).toBe('true');
    expect(await config('receive.fsckObjects')).toBe('true');
    expect(await config('receive.denyNonFastForwards')).toBe('true');
    expect(await config('receive.denyDeletes')).toBe('true');
    expect(await config('receive.maxInputSize')).toBe('1234567');
    expect(await config('core.hooksPath')).toBe(git.hooksDir);
    expect(await config('core.fsync')).toBe('committed');
    expect((await git.run(['--git-dir', repositories.pathOf(id), 'symbolic-ref', 'HEAD'])).trim()).toBe('refs/heads/main');
  });

  it('refuses paths that are not internal project ids', () => {
    for (const bad of ['../etc', 'alice/demo', '', 'A'.repeat(24), `${'a'.repeat(23)}/`]) {
      expect(() => repositories.pathOf(bad)).toThrow(/not a project id/);
    }
  });
});
