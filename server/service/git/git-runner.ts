// The one module of the service that starts git. Everything else asks it.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A running git process with all three pipes. */
export type GitProcess = ChildProcessWithoutNullStreams;

/** Thrown when a git command fails; carries git's own words for the log, not for users. */
export class GitCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string
  ) {
    super(`git ${args[0] ?? ''} failed (exit ${exitCode}): ${stderr.trim().slice(0, 500)}`);
  }
}

/**
 * The service's one git hook. Every HubShare checkout keeps its history in a `.hubshare` folder
 * (its git directory, config included), so a tree holding a `.hubshare` of its own — at any depth
 * and in any letter case — could turn into a checkout's git directory, or a checkout inside one
 * (the agents refuse it too); this refuses it at the push, in words the pusher sees (`remote: …`),
 * naming where it is.
 *
 * Cost: only the objects this push brings (`rev-list --objects … --not --all`: the refs are not
 * updated yet; each object once), and of those only the trees, read in one `cat-file --batch`
 * and their entry names checked by perl (git's own dependency). A path with a `.hubshare` in it
 * has that name as an entry of some tree, and such a tree is new unless it was there before, so
 * new trees suffice; a push that removes one left from before brings only trees without it and
 * goes through. It never lists paths: a few objects whose trees repeat one sub-tree describe
 * millions of paths (listing or diffing them took seconds and gigabytes per push).
 */
const PRE_RECEIVE = `#!/bin/sh
# Written by the HubShare service at start; changes are overwritten.
status=0
while read -r old new ref; do
  case "$new" in *[!0]*) ;; *) continue ;; esac
  found=$(git rev-list --objects "$new" --not --all |
    git cat-file --batch-check='%(objecttype) %(objectname) %(rest)' |
    awk '$1 == "tree" { $1 = ""; print substr($0, 2) }' |
    git cat-file --batch='%(objectname) %(objectsize) %(rest)' |
    perl -e '
      binmode STDIN;
      while (defined(my $header = <STDIN>)) {
        chomp $header;
        my ($id, $size, $path) = split / /, $header, 3;
        read(STDIN, my $tree, $size) == $size or exit 2;
        read(STDIN, my $newline, 1);
        while ($tree =~ /\\G[0-7]+ ([^\\0]*)\\0.{20}/gs) {
          if (lc($1) eq ".hubshare") { print length($path) ? "$path/$1" : $1; exit 0; }
        }
      }')
  if [ -n "$found" ]; then
    echo "HubShare: $ref holds $found; HubShare keeps each checkout's own history in a folder named .hubshare, so it cannot take a push with one at any depth. Rename that folder (in every commit of the push) and push again." >&2
    status=1
  fi
done
exit $status
`;

/**
 * Runs git with a scrubbed environment: no system or global config, an empty HOME, no prompts,
 * and hooks only from the service's own hooks directory (just PRE_RECEIVE) — so nothing a user
 * pushed, and nothing in the service account's home, can change what git does.
 */
export class GitRunner {
  readonly hooksDir: string;
  private readonly homeDir: string;

  constructor(stateDir: string) {
    this.homeDir = join(stateDir, 'git-home');
    this.hooksDir = join(stateDir, 'git-hooks');
    mkdirSync(this.homeDir, { recursive: true, mode: 0o700 });
    mkdirSync(this.hooksDir, { recursive: true, mode: 0o700 });
    // Written aside, then renamed over: a push while another replica starts never runs half a hook.
    const written = join(this.hooksDir, `.pre-receive-${process.pid}-${randomBytes(4).toString('hex')}`);
    writeFileSync(written, PRE_RECEIVE, { mode: 0o700 });
    chmodSync(written, 0o700);
    renameSync(written, join(this.hooksDir, 'pre-receive'));
  }

  /** The environment every git process gets, plus `extra`. */
  environment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      HOME: this.homeDir,
      LANG: 'C',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_TERMINAL_PROMPT: '0',
      GIT_ATTR_NOSYSTEM: '1',
      ...extra
    };
  }

  /**
   * Runs `git <args>` to completion and returns its stdout.
   * @throws GitCommandError when git exits with a non-zero status.
   */
  run(args: readonly string[], options: { cwd?: string } = {}): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn('git', args, { cwd: options.cwd, env: this.environment(), stdio: ['ignore', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      child.on('error', reject);
      child.on('close', code => {
        if (code === 0) {
          resolve(Buffer.concat(out).toString('utf8'));
        } else {
          reject(new GitCommandError(args, code, Buffer.concat(err).toString('utf8')));
        }
      });
    });
  }

  /**
   * Starts a long-lived `git cat-file --batch-command` on a bare repository (see
   * object-reader.ts): it answers object requests on stdin for as long as it runs.
   */
  catFileBatch(gitDir: string): ChildProcessWithoutNullStreams {
    return spawn('git', [`--git-dir=${gitDir}`, 'cat-file', '--batch-command'], {
      env: this.environment(),
      stdio: ['pipe', 'pipe', 'pipe']
    });
  }

  /** Starts `git http-backend` (a CGI program) with the given CGI variables. */
  httpBackend(cgi: Record<string, string>): ChildProcessWithoutNullStreams {
    return spawn('git', ['http-backend'], { env: this.environment(cgi), stdio: ['pipe', 'pipe', 'pipe'] });
  }
}
