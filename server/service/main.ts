import { runServiceCli } from './cli';

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
  const stop = () => {
    void result.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
