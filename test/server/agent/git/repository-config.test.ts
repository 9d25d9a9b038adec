import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hubShareKeys, ownConfigText, sealGitDir } from '../../../../server/agent/git/repository-config';
import { temporaryDirectory } from '../../http-harness';

const work = temporaryDirectory('hubshare-repository-config-');
afterAll(() => work.remove());
let count = 0;

/** What real git reads from a config file's text: every `key=value` it lists. */
function gitReads(text: string): string[] {
  const file = join(work.path, `config-${(count += 1)}`);
  writeFileSync(file, text);
  const out = execFileSync('git', ['config', '--file', file, '--list', '-z'], { encoding: 'utf8', env: { PATH: process.env.PATH, GIT_CONFIG_NOSYSTEM: '1' } });
  return out.split('\0').filter(Boolean).map(entry => entry.replace('\n', '='));
}

const hostile = [
  '[core]\n\trepositoryformatversion = 0\n\tfilemode = false\n\tbare = false\n\tfsmonitor = touch /tmp/x\n\tsshCommand = touch /tmp/x\n',
  '[filter "x"]\n\tclean = touch /tmp/x\n[diff "x"]\n\ttextconv = touch /tmp/x\n',
  '[url "http://127.0.0.1:9/"]\n\tinsteadOf = http://service/\n[http]\n\tproxy = http://127.0.0.1:9\n\textraHeader = X: y\n',
  '[include]\n\tpath = /etc/elsewhere\n[extensions]\n\tworktreeConfig = true\n[hubshare "sub"]\n\tproject = eve/other\n',
  '[HubShare]\n\tProject = "alice/study" ; a comment\n\turl = "https://example.org/a b#c.git"\n'
].join('');

describe('the config of HubShare\'s git directory', () => {
  it('keeps only what git init writes and HubShare\'s own keys, as git reads them back', () => {
    expect(hubShareKeys(hostile)).toEqual({ project: 'alice/study', url: 'https://example.org/a b#c.git' });
    expect(gitReads(ownConfigText(hostile))).toEqual([
      'core.repositoryformatversion=0',
      'core.filemode=false',
      'core.bare=false',
      'core.logallrefupdates=true',
      'hubshare.project=alice/study',
      'hubshare.url=https://example.org/a b#c.git'
    ]);
  });

  it('reads HubShare\'s keys as git does: the last value wins, quotes and escapes undone', () => {
    for (const text of [
      '[hubshare]\n\tproject = alice/old\n\tproject = alice/new\n',
      '[hubshare]\n\tproject = "ali\\"ce/new"\n',
      '[hubshare]\n  project=alice/new # gone\n',
      '[hubshare] project = alice/new\n'
    ]) {
      const project = gitReads(text).filter(entry => entry.startsWith('hubshare.project=')).pop();
      expect(`hubshare.project=${hubShareKeys(text).project ?? ''}`, text).toBe(project);
      expect(gitReads(ownConfigText(text)).pop(), text).toBe(project);
    }
  });

  it('is rewritten before git runs, and hides the folder from the user\'s own git', () => {
    const gitDir = join(work.path, 'checkout', '.hubshare');
    sealGitDir(gitDir);
    mkdirSync(gitDir, { recursive: true });
    writeFileSync(join(gitDir, 'config'), hostile);
    sealGitDir(gitDir);
    expect(readFileSync(join(gitDir, 'config'), 'utf8')).toBe(ownConfigText(hostile));
    expect(readFileSync(join(gitDir, '.gitignore'), 'utf8')).toBe('*\n');
  });
});
