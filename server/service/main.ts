import { runServiceCli } from './cli';

/** How long in-flight requests (a big push) may take to finish after SIGTERM before we exit anyway. */
const DRAIN_TIMEOUT_MS = 5 * 60 * 1000;

/** Entry point of the `hubshare-service` executable: reads argv and the environment, nothing else. */
async function main(): Promise<void> {
  const result = await runServiceCli(process.argv.slice(2), {
    out: text => process.stdout.write(`${text}\n`),
    err: text => process.stderr.write(`${text}\n`),
    env: process.env,
    cwd: process.cwd()
  });
  if (typeof result === 'number') {
    process.exitCode = result;
    return;
  }
  // Stop accepting connections, let in-flight requests (pushes) finish, then close the database.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    process.stderr.write(`hubshare-service: ${signal} received; finishing in-flight requests, then stopping.\n`);
    setTimeout(() => {
      process.stderr.write('hubshare-service: in-flight requests did not finish in time; stopping anyway.\n');
      process.exit(1);
    }, DRAIN_TIMEOUT_MS).unref();
    void result.close().then(
      () => process.exit(0),
      error => {
        process.stderr.write(`hubshare-service: error while stopping: ${String(error)}\n`);
        process.exit(1);
      }
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  if (process.env.HUBSHARE_EXIT_WITH_STDIN === '1') {
    // Started by a Jupyter server as its embedded service: go when that server goes, however it ends.
    process.stdin.on('end', () => stop('end of stdin'));
    process.stdin.resume();
  }
}

void main();
