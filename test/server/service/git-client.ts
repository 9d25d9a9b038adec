import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The real git CLI, with its own temporary HOME (no user or system config leaks in). */
export class GitClient {
  private readonly env: NodeJS.ProcessEnv;

  constructor(readonly home: string) {
    mkdirSync(home, { recursive: true });
    writeFileSync(join(home, '.gitconfig'), '[user]\n\tname = Test User\n\temail = test@example.org\n[init]\n\tdefaultBranch = main\n');
    this.env = {
      PATH: process.env.PATH,
      HOME: home,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_TERMINAL_PROMPT: '0',
      LANG: 'C'
    };
  }

  /** Runs git; resolves with its output, or rejects with its stderr in the message. */
  async run(args: string[], cwd?: string): Promise<{ stdout: string; stderr: string }> {
    try {
      return await execFileAsync('git', args, { cwd, env: this.env, maxBuffer: 64 * 1024 * 1024 });
    } catch (error) {
      const failure = error as { stderr?: string; message: string };
      throw new Error(`git ${args.join(' ')} failed: ${failure.stderr ?? failure.message}`);
    }
  }

  /** Runs git and reports success or git's stderr, without throwing. */
  async attempt(args: string[], cwd?: string): Promise<{ ok: boolean; stderr: string }> {
    try {
      const { stderr } = await this.run(args, cwd);
      return { ok: true, stderr };
    } catch (error) {
      return { ok: false, stderr: (error as Error).message };
    }
  }
}

/** `http://user:token@host/git/owner/name.git`, as a person would type it. */
export function cloneUrl(serviceUrl: string, user: string, token: string, project: string): string {
  const url = new URL(`${serviceUrl}/git/${project}.git`);
  url.username = user;
  url.password = token;
  return url.toString();
}
