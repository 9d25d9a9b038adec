import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Logger, pino } from 'pino';
import { BadRequest, HubShareError } from '../shared/errors';
import { version } from '../shared/version';
import { createServiceApp } from './app';
import { parseServiceConfig } from './config';
import { openServiceData } from './data-dir';
import { Accounts } from './domain/accounts';
import { GitRunner } from './git/git-runner';
import { combinedIdentity, HubIdentity } from './hub-identity';
import { AccountsStore } from './storage/accounts-store';
import { copyStore } from './storage/copy-store';
import { openStore, SQLITE_FILE } from './storage/open-store';

/** Where the CLI writes: injected so tests can read what it printed. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export const USAGE = `Usage: hubshare-service <command> [options]

Commands:
  serve [--host H] [--port N] [--max-push-mb M]  run the HubShare service
        [--webhook-allow-loopback-http]          let webhooks POST to this machine (http allowed)
        [--webhook-allow-hosts H,CIDR,…]         names, addresses and ranges inside the network webhooks may reach
  user add NAME [--admin] [--exist-ok]           add a user (standalone mode)
  token create NAME [--note TEXT] [--json]       print a new API token for NAME, once
                                                 (--json: {"id", "token"}, for scripts)
  token list NAME                                list NAME's tokens (ids and notes, never values)
  token revoke NAME TOKEN_ID                     revoke one of NAME's tokens
  database copy --to URL                         copy every user, team, grant, project record and
                                                 event into an empty database (postgres:// URL, or
                                                 "sqlite": the data dir's file); stop the service first

Every command takes --data-dir DIR (default ./.hubshare-data, or $HUBSHARE_DATA_DIR) and
--database URL (a postgres:// URL, or $HUBSHARE_DATABASE_URL; default: SQLite in the data dir).
serve also reads $HUBSHARE_HOST (default 127.0.0.1), $HUBSHARE_PORT (default 8765),
$HUBSHARE_MAX_PUSH_MB (default 2048), $HUBSHARE_WEBHOOK_ALLOW_LOOPBACK_HTTP (1 or 0) and
$HUBSHARE_METRICS_TOKEN (the Bearer token GET /metrics asks for; metrics are off without it).
Under JupyterHub (JUPYTERHUB_API_URL and JUPYTERHUB_API_TOKEN set) it listens where
JUPYTERHUB_SERVICE_URL says, serves under JUPYTERHUB_SERVICE_PREFIX, and accepts hub tokens
as well as its own.`;

const EXIT_OK = 0;
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

/** A running service, for `serve` and for tests that start one. */
export interface RunningService {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** Opens the data directory and starts the service listening. */
export async function startService(
  args: readonly string[],
  io: Pick<CliIO, 'env' | 'cwd'> & { logger?: Logger }
): Promise<RunningService> {
  const config = parseServiceConfig(args, io.env, io.cwd);
  const logger = io.logger ?? pino({ level: 'info' }, pino.destination(2));
  const data = await openServiceData({
    ...config,
    onConnectionError: error => logger.warn(`The database ended an idle database connection (${error.message}); the next query opens a new one.`)
  });
  const accounts = new Accounts(new AccountsStore(data.db));
  const local = { resolve: (token: string) => accounts.authenticate(token) };
  const hub = config.hub ? new HubIdentity(config.hub, data.db) : undefined;
  const { app, deliveries, close: stopApp } = createServiceApp({
    data,
    identity: combinedIdentity(local, hub),
    basePath: config.hub?.prefix,
    limits: { maxPushBytes: config.maxPushBytes },
    metricsToken: config.metricsToken,
    webhooks: { allowLoopbackHttp: config.webhookAllowLoopbackHttp, allowedHosts: config.webhookAllowHosts },
    git: new GitRunner(config.dataDir),
    logger
  });
  const server = await new Promise<Server>((resolveServer, reject) => {
    const listening = app.listen(config.port, config.host, error => (error ? reject(error) : resolveServer(listening)));
  });
  deliveries.start();
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    server,
    url: `http://${host}:${port}${config.hub?.prefix ?? ''}`,
    close: async () => {
      const closed = new Promise<void>(done => server.close(() => done()));
      // Idle keep-alive connections would hold close() open; busy ones finish their request.
      server.closeIdleConnections();
      await closed;
      // Requests have finished (their events are stored); attempts under way are recorded, the rest wait in the database.
      await deliveries.stop();
      await stopApp();
      await data.close();
    }
  };
}

/** Splits `--data-dir` off the arguments of the account commands. */
function accountCommandArgs(args: readonly string[], flags: Record<string, 'string' | 'boolean'>) {
  const options: Record<string, { type: 'string' | 'boolean' }> = { 'data-dir': { type: 'string' }, database: { type: 'string' } };
  for (const [name, type] of Object.entries(flags)) {
    options[name] = { type };
  }
  return parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
}

async function withAccounts<T>(
  flags: { 'data-dir'?: unknown; database?: unknown },
  io: CliIO,
  work: (accounts: Accounts) => Promise<T>
): Promise<T> {
  const args: string[] = [];
  for (const name of ['data-dir', 'database'] as const) {
    const value = flags[name];
    if (typeof value === 'string') {
      args.push(`--${name}`, value);
    }
  }
  const config = parseServiceConfig(args, io.env, io.cwd);
  const data = await openServiceData(config);
  try {
    return await work(new Accounts(new AccountsStore(data.db)));
  } finally {
    await data.close();
  }
}

async function runAccountCommand(command: string, rest: readonly string[], io: CliIO): Promise<number> {
  const usage = () => {
    io.err(USAGE);
    return EXIT_USAGE;
  };
  switch (command) {
    case 'user add': {
      const { values, positionals } = accountCommandArgs(rest, { admin: 'boolean', 'exist-ok': 'boolean' });
      if (positionals.length !== 1) {
        return usage();
      }
      const result = await withAccounts(values, io, accounts =>
        accounts.addUser(positionals[0], { admin: values.admin === true, existOk: values['exist-ok'] === true })
      );
      io.err(result.created ? `Added user ${result.name}.` : `User ${result.name} already exists.`);
      return EXIT_OK;
    }
    case 'token create': {
      const { values, positionals } = accountCommandArgs(rest, { note: 'string', json: 'boolean' });
      if (positionals.length !== 1) {
        return usage();
      }
      const note = typeof values.note === 'string' ? values.note : '';
      const created = await withAccounts(values, io, accounts => accounts.createToken(positionals[0], note));
      io.err(`Created token ${created.id} for ${positionals[0]}; it is shown only this once.`);
      io.out(values.json === true ? JSON.stringify(created) : created.token);
      return EXIT_OK;
    }
    case 'token list': {
      const { values, positionals } = accountCommandArgs(rest, {});
      if (positionals.length !== 1) {
        return usage();
      }
      const tokens = await withAccounts(values, io, accounts => accounts.listTokens(positionals[0]));
      for (const token of tokens) {
        io.out([token.id, token.createdAt, token.lastUsedAt ?? 'never used', token.note].join('\t'));
      }
      return EXIT_OK;
    }
    case 'token revoke': {
      const { values, positionals } = accountCommandArgs(rest, {});
      if (positionals.length !== 2) {
        return usage();
      }
      await withAccounts(values, io, accounts => accounts.revokeToken(positionals[0], positionals[1]));
      io.err(`Revoked token ${positionals[1]}.`);
      return EXIT_OK;
    }
    case 'database copy': {
      const { values, positionals } = accountCommandArgs(rest, { to: 'string' });
      if (positionals.length !== 0 || typeof values.to !== 'string') {
        return usage();
      }
      const counts = await copyDatabase(values, values.to, io);
      io.err(`Copied ${Object.entries(counts).map(([table, count]) => `${count} ${table}`).join(', ')}.`);
      io.err('Next: copy the data directory\'s repositories/ folder to where the service will run, and start it on the new database.');
      return EXIT_OK;
    }
    default:
      return usage();
  }
}

/** `database copy`: the store the flags name, into the (empty) store `--to` names. */
async function copyDatabase(flags: { 'data-dir'?: unknown; database?: unknown }, to: string, io: CliIO): Promise<Record<string, number>> {
  const args = typeof flags['data-dir'] === 'string' ? ['--data-dir', flags['data-dir']] : [];
  const source = parseServiceConfig([...args, ...(typeof flags.database === 'string' ? ['--database', flags.database] : [])], io.env, io.cwd);
  const target = parseServiceConfig([...args, '--database', to], {}, io.cwd);
  if (source.databaseUrl === target.databaseUrl) {
    throw new BadRequest('--to names the database being copied; name another one.', 'usage');
  }
  if (!source.databaseUrl && !existsSync(join(source.dataDir, SQLITE_FILE))) {
    throw new BadRequest(`There is no HubShare database in ${source.dataDir} to copy (no ${SQLITE_FILE}); name the data directory with --data-dir.`, 'usage');
  }
  const from = await openStore({ dataDir: source.dataDir, databaseUrl: source.databaseUrl });
  try {
    const into = await openStore({ dataDir: source.dataDir, databaseUrl: target.databaseUrl });
    try {
      return await copyStore(from, into);
    } finally {
      await into.close();
    }
  } finally {
    await from.close();
  }
}

/**
 * Runs one `hubshare-service` command. `serve` resolves once the service listens (it keeps
 * running); the others resolve with their exit code.
 */
export async function runServiceCli(argv: readonly string[], io: CliIO): Promise<number | RunningService> {
  const [first, second, ...rest] = argv;
  try {
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      (first === undefined ? io.err : io.out)(USAGE);
      return first === undefined ? EXIT_USAGE : EXIT_OK;
    }
    if (first === '--version') {
      io.out(version);
      return EXIT_OK;
    }
    if (first === 'serve') {
      const running = await startService(argv.slice(1), { env: io.env, cwd: io.cwd });
      io.err(`HubShare service ${version} listening on ${running.url}`);
      return running;
    }
    return await runAccountCommand(`${first} ${second ?? ''}`, rest, io);
  } catch (error) {
    if (error instanceof HubShareError) {
      io.err(`hubshare-service: ${error.message}`);
      return error.code === 'usage' ? EXIT_USAGE : EXIT_FAILURE;
    }
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      io.err(`hubshare-service: ${error.message}`);
      return EXIT_USAGE;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.err(`hubshare-service: ${message}`);
    return EXIT_FAILURE;
  }
}
