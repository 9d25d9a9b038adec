// The processes the end-to-end benchmark measures, started as a hub runs them: the service
// (`hubshare-service serve`, SQLite), the agent (the bundle the server extension starts, on a unix
// socket), the `hubshare` CLI, and plain git. Each is a real process; their peak memory is read
// from /proc.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
// The bench runs from the repository's top (npm run bench), against the built bundles.
const repository = process.cwd();
const SERVICE = join(repository, 'bin', 'hubshare-service.cjs');
const CLI = join(repository, 'bin', 'hubshare.cjs');
const AGENT = join(repository, 'jupyterlab_hubshare', 'node', 'agent.cjs');

/** Plain git as the bench runs it: an identity, a home of its own, nothing else from the user. */
export function gitEnvironment(home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Bench',
    GIT_AUTHOR_EMAIL: 'bench@example.org',
    GIT_COMMITTER_NAME: 'Bench',
    GIT_COMMITTER_EMAIL: 'bench@example.org'
  };
}

/** The git executable on PATH (the bench's counting wrapper sits in front of it). */
export function gitOnPath(): string {
  const found = (process.env.PATH ?? '').split(':').map(dir => join(dir, 'git')).find(path => existsSync(path));
  if (!found) {
    throw new Error('git is not on PATH');
  }
  return found;
}

export async function git(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return (await run('git', args, { cwd, env, maxBuffer: 1 << 26 })).stdout.trim();
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

async function until(ready: () => Promise<boolean>, what: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await ready().catch(() => false))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`${what} did not start`);
    }
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

/** Peak and current resident memory of a process, in MiB (VmHWM, VmRSS). */
export function memoryOf(pid: number): { peakMiB: number; nowMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { peakMiB: kib('VmHWM') / 1024, nowMiB: kib('VmRSS') / 1024 };
}

export interface ServiceProcess {
  url: string;
  pid: number;
  /** Adds a user and returns a token for them. */
  userWithToken(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function startService(dataDir: string): Promise<ServiceProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [SERVICE, 'serve', '--data-dir', dataDir, '--port', String(port)], {
    env: { PATH: process.env.PATH, HOME: dataDir },
    stdio: ['ignore', 'ignore', 'pipe']
  });
  // Its request log is not the bench's output; its last words are, when it fails.
  let lastWords = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    lastWords = (lastWords + chunk.toString('utf8')).slice(-4000);
  });
  child.once('exit', code => {
    if (code !== 0 && code !== null) {
      process.stderr.write(`the service exited ${code}:\n${lastWords}\n`);
    }
  });
  const url = `http://127.0.0.1:${port}`;
  await until(async () => (await fetch(`${url}/health`)).ok, 'the service', child);
  const cli = async (args: string[]) => (await run(process.execPath, [SERVICE, ...args, '--data-dir', dataDir])).stdout.trim();
  return {
    url,
    pid: child.pid ?? 0,
    userWithToken: async name => {
      await cli(['user', 'add', name]);
      return cli(['token', 'create', name, '--note', 'bench']);
    },
    close: async () => {
      child.kill('SIGTERM');
      await new Promise(resolve => child.once('exit', resolve));
    }
  };
}

/** The `hubshare` CLI, as a user runs it in a terminal: a node process per command. */
export function cliRunner(serviceUrl: string, token: string, home: string) {
  const env = { PATH: process.env.PATH, HOME: home, HUBSHARE_URL: serviceUrl, HUBSHARE_TOKEN: token };
  return async (args: string[], cwd: string, extra: NodeJS.ProcessEnv = {}): Promise<string> =>
    (await run(process.execPath, [CLI, ...args], { cwd, env: { ...env, ...extra }, maxBuffer: 1 << 24 })).stdout;
}

export interface AgentProcess {
  pid: number;
  /** Calls the agent's API as the panel does (through the server extension's proxy, here directly). */
  call(method: string, path: string, body?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

export async function startAgent(rootDir: string, serviceUrl: string, token: string, home: string): Promise<AgentProcess> {
  const socketPath = join(home, 'agent.sock');
  const secret = randomBytes(24).toString('hex');
  const child = spawn(process.execPath, [AGENT], {
    env: {
      PATH: process.env.PATH,
      HOME: home,
      HUBSHARE_AGENT_SOCKET: socketPath,
      HUBSHARE_AGENT_SECRET: secret,
      HUBSHARE_ROOT_DIR: rootDir,
      HUBSHARE_URL: serviceUrl,
      HUBSHARE_TOKEN: token
    },
    stdio: ['pipe', 'ignore', 'ignore']
  });
  const call = (method: string, path: string, body?: unknown) =>
    new Promise<unknown>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        { socketPath, method, path, headers: { 'x-hubshare-agent-secret': secret, 'content-type': 'application/json' } },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if ((res.statusCode ?? 500) >= 400) {
              reject(new Error(`agent ${method} ${path}: ${res.statusCode} ${text.slice(0, 300)}`));
            } else {
              resolve(text ? JSON.parse(text) : null);
            }
          });
        }
      );
      req.on('error', reject);
      req.end(payload);
    });
  await until(async () => (await call('GET', '/api/status')) !== null, 'the agent', child);
  return {
    pid: child.pid ?? 0,
    call,
    close: async () => {
      child.stdin?.end();
      await new Promise(resolve => child.once('exit', resolve));
    }
  };
}
