import { runHubShareCli } from './cli';

/** Entry point of the `hubshare` executable. */
void runHubShareCli(process.argv.slice(2), {
  out: text => process.stdout.write(`${text}\n`),
  err: text => process.stderr.write(`${text}\n`),
  env: process.env,
  cwd: process.cwd()
}).then(code => {
  process.exitCode = code;
});
