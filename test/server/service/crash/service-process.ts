// The real service process (`bin/hubshare-service.cjs serve`, the built bundle) for the crash and
// replica tests: started on a data dir and a port, killed with SIGKILL, started again.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const bin = join(__dirname, '..', '..', '..', '..', 'bin', 'hubshare-service.cjs');

export const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

export class ServiceProcess {
  private child: ChildProcess | undefined;
  readonly url: string;

  constructor(
    private readonly dataDir: string,
    private readonly port: number,
    private readonly databaseUrl: string | null,
    private readonly extraArgs: string[] = []
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  private get databaseArgs(): string[] {
    return this.databaseUrl ? ['--database', this.databaseUrl] : [];
  }

  /** Starts it and resolves once /health answers. */
  async start(): Promise<void> {
    const child = spawn(process.execPath, [bin, 'serve', '--data-dir', this.dataDir, '--port', String(this.port), ...this.databaseArgs, ...this.extraArgs], { stdio: 'ignore' });
    this.child = child;
    for (let waited = 0; ; waited += 50) {
      if (await fetch(`${this.url}/health`).then(response => response.ok, () => false)) {
        return;
      }
      if (child.exitCode !== null || waited > 20_000) {
        throw new Error('the service did not start');
      }
      await sleep(50);
    }
  }

  /** SIGKILL, as the kernel's OOM killer or a node failure would. */
  async kill(): Promise<void> {
    const dying = this.child;
    if (dying && dying.exitCode === null && dying.signalCode === null) {
      const exited = new Promise(resolve => dying.once('exit', resolve));
      dying.kill('SIGKILL');
      await exited;
    }
  }

  /** Runs a `hubshare-service` command on the same data (user add, token create…). */
  async command(args: string[]): Promise<string> {
    return (await run(process.execPath, [bin, ...args, '--data-dir', this.dataDir, ...this.databaseArgs])).stdout.trim();
  }
}
