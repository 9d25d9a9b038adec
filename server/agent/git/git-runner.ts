// The one module of the agent that runs git (directly, and through simple-git for a transfer whose
// progress the panel shows). Everything else asks it.
import { spawn } from 'node:child_process';
import { type SimpleGit, simpleGit } from 'simple-git';
import { sealGitDir } from './repository-config';

/** A failed git command: git's own words, for logs and for mapping to user messages. */
export class AgentGitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly stderr: string
  ) {
    super(`git ${args[0] ?? ''} failed: ${stderr.trim().slice(0, 1000)}`);
  }
}

/** The commands whose progress git reports (and simple-git reads for the panel). */
const TRANSFERS = new Set(['fetch', 'push', 'clone']);

/** Who commits, and the credential for the remote, for one operation. */
export interface GitIdentity {
  userName: string;
  /** Sent as an HTTP header to the remote; travels in the environment only, never argv or disk. */
  token?: string;
  /** Protocols git may use for the remote (`https`, and `http` for the configured service). */
  allowProtocols: readonly ('https' | 'http' | 'file')[];
  /** Told how far a transfer (fetch, push) has come, when git reports it. */
  onProgress?: (event: GitProgress) => void;
}

/** One progress report of a transfer: git's stage name and how far it is. */
export interface GitProgress {
  stage: string;
  percent: number;
}

/**
 * Runs git on a checkout whose history lives in its own git directory (never the user's `.git`).
 * Configuration reaches git through GIT_CONFIG_COUNT in the child's environment: the token header,
 * disabled hooks, fsmonitor and credential helpers, the protocol allow-list, the author;
 * GIT_CONFIG_GLOBAL points at /dev/null so the user's own git configuration cannot change what
 * HubShare's git does. Before every command the git directory's own config is rewritten to the
 * keys HubShare writes (`repository-config.ts`): nothing else in it is ever read. simple-git blocks
 * these by default; this module allows exactly those categories, for values it sets itself.
 */
export class CheckoutGit {
  constructor(
    readonly gitDir: string,
    readonly workTree: string,
    private readonly identity: GitIdentity
  ) {}

  /** The child's whole environment: nothing of the agent's but PATH and HOME. */
  private environment(): Record<string, string> {
    sealGitDir(this.gitDir);
    const config: [string, string][] = [
      ['core.hooksPath', '/dev/null'],
      // Settings that run commands, off whatever the repository's config says (a second guard:
      // the checkouts engine never lets a tree write that config).
      ['core.fsmonitor', 'false'],
      ['credential.helper', ''],
      ['core.autocrlf', 'false'],
      ['core.quotePath', 'false'],
      ['user.name', this.identity.userName],
      ['user.email', `${this.identity.userName}@users.hubshare.invalid`],
      ['submodule.recurse', 'false'],
      ['merge.renames', 'true'],
      ['pull.rebase', 'false']
    ];
    if (this.identity.token) {
      config.push(['http.extraHeader', `Authorization: token ${this.identity.token}`]);
    }
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/nonexistent',
      LANG: 'C',
      GIT_DIR: this.gitDir,
      GIT_WORK_TREE: this.workTree,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_TERMINAL_PROMPT: '0',
      // Only these transports, for every command and every URL git meets (submodules included).
      GIT_ALLOW_PROTOCOL: this.identity.allowProtocols.join(':'),
      GIT_CEILING_DIRECTORIES: this.workTree,
      GIT_CONFIG_COUNT: String(config.length)
    };
    config.forEach(([key, value], index) => {
      env[`GIT_CONFIG_KEY_${index}`] = key;
      env[`GIT_CONFIG_VALUE_${index}`] = value;
    });
    return env;
  }

  private client(signal?: AbortSignal): SimpleGit {
    const env = this.environment();
    return simpleGit({
      baseDir: this.workTree,
      abort: signal,
      progress: this.identity.onProgress
        ? event => this.identity.onProgress?.({ stage: event.stage, percent: event.progress })
        : undefined,
      // Any non-zero exit is a failure (simple-git's default also wants stderr output, which
      // `git diff --quiet` or `merge-base --is-ancestor` never write).
      errors: (error, result) => {
        if (error) {
          return error;
        }
        return result.exitCode === 0 ? undefined : Buffer.concat([...result.stdOut, ...result.stdErr]);
      },
      // Only to set these off (see `config` above): nothing else may set them.
      unsafe: {
        allowUnsafeConfigEnvCount: true,
        allowUnsafeHooksPath: true,
        allowUnsafeConfigPaths: true,
        allowUnsafeFsMonitor: true,
        allowUnsafeCredentialHelper: true
      }
    }).env(env);
  }

  /**
   * Runs `git <args>` and returns stdout.
   * @throws AgentGitError with git's output when it fails.
   */
  async run(args: readonly string[], options: { signal?: AbortSignal } = {}): Promise<string> {
    if (this.identity.onProgress && TRANSFERS.has(args[0] ?? '')) {
      // simple-git reads git's progress lines into stage and percent for the panel's bar.
      try {
        return await this.client(options.signal).raw([...args]);
      } catch (error) {
        throw new AgentGitError(args, error instanceof Error ? error.message : String(error));
      }
    }
    const { code, stdout, stderr } = await this.spawned(args, undefined, options.signal);
    if (code !== 0) {
      // As simple-git words a failure: what git wrote, both streams.
      throw new AgentGitError(args, Buffer.concat([stdout, stderr]).toString('utf8'));
    }
    return stdout.toString('utf8');
  }

  /**
   * Starts git and collects what it writes. Used for every command but a transfer someone
   * watches: simple-git holds a command that wrote nothing 50 ms after it exits (its completion
   * plugin, whatever its options), and most of a push or pull are such commands (`add`,
   * `diff --quiet`, `commit --quiet`, `update-ref`…): five of them made a push 250 ms slower.
   */
  private spawned(args: readonly string[], input: string | undefined, signal?: AbortSignal): Promise<{ code: number; stdout: Buffer; stderr: Buffer }> {
    return new Promise((resolve, reject) => {
      const child = spawn('git', [...args], { cwd: this.workTree, env: this.environment(), signal, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(input);
      const out: Buffer[] = [];
      const errors: Buffer[] = [];
      child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
      // git's complaints are kept to a bound (a hostile tree can make it warn per file).
      child.stderr?.on('data', (chunk: Buffer) => errors.length < 64 && errors.push(chunk));
      child.on('error', error => reject(new AgentGitError(args, error.message)));
      child.on('close', code =>
        code === null
          ? reject(new AgentGitError(args, Buffer.concat(errors).toString('utf8') || 'git was stopped'))
          : resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(errors) })
      );
    });
  }

  /**
   * Runs `git <args>` and hands each `separator`-terminated record of its output to `onRecord`
   * as it comes, without holding the output: `onRecord` answers false to stop git there (it is
   * killed; that is no failure).
   * @throws AgentGitError when git fails on its own.
   */
  scan(args: readonly string[], onRecord: (record: string) => boolean, separator = '\0'): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn('git', [...args], { cwd: this.workTree, env: this.environment(), stdio: ['ignore', 'pipe', 'pipe'] });
      let pending = '';
      let stopped = false;
      const errors: Buffer[] = [];
      child.stderr.on('data', (chunk: Buffer) => errors.length < 64 && errors.push(chunk));
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        if (stopped) {
          return;
        }
        const records = (pending + chunk).split(separator);
        pending = records.pop() ?? '';
        for (const record of records) {
          if (!onRecord(record)) {
            stopped = true;
            child.kill();
            return;
          }
        }
      });
      child.on('error', error => reject(new AgentGitError(args, error.message)));
      child.on('close', code => {
        if (stopped || code === 0) {
          resolve();
        } else {
          reject(new AgentGitError(args, Buffer.concat(errors).toString('utf8')));
        }
      });
    });
  }

  /**
   * Runs `git <args>` and answers its exit code with its output as bytes, for the commands whose
   * exit code is an answer (`merge-file` counts the conflicts it found), or whose output is
   * bytes (`cat-file --batch`, fed `input` on stdin).
   * @throws AgentGitError when git cannot be started or dies of a signal.
   */
  async answer(args: readonly string[], input?: string): Promise<{ code: number; stdout: Buffer }> {
    const { code, stdout } = await this.spawned(args, input);
    return { code, stdout };
  }

  /** `--progress` when someone listens for progress, else `--quiet`: for fetch and push. */
  get verbosity(): string {
    return this.identity.onProgress ? '--progress' : '--quiet';
  }

  /** The bytes of a blob, e.g. `:3:notebook.ipynb` (theirs, during a pull), exactly as stored. */
  async blob(spec: string): Promise<Buffer> {
    const { code, stdout, stderr } = await this.spawned(['show', spec], undefined);
    if (code !== 0) {
      throw new AgentGitError(['show', spec], stderr.toString('utf8'));
    }
    return stdout;
  }

  /** Runs git and reports whether it succeeded, for commands whose failure is an answer. */
  async succeeds(args: readonly string[]): Promise<boolean> {
    try {
      await this.run(args);
      return true;
    } catch (error) {
      if (error instanceof AgentGitError) {
        return false;
      }
      throw error;
    }
  }
}
