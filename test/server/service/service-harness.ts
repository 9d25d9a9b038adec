import { join } from 'node:path';
import { createServiceApp, type ServiceDependencies } from '../../../server/service/app';
import { openServiceData, type ServiceData } from '../../../server/service/data-dir';
import { Accounts } from '../../../server/service/domain/accounts';
import { GitRunner } from '../../../server/service/git/git-runner';
import { pino } from 'pino';
import { AccountsStore } from '../../../server/service/storage/accounts-store';
import type { Engine } from '../../../server/service/storage/open-store';
import { listen, temporaryDirectory } from '../http-harness';
import { freshPostgresDatabase } from './test-databases';

/** Calls the service's API (`/api/v1` + `path`) with a user's token, and a JSON body when given. */
export function callApi(service: { url: string }, token: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${service.url}/api/v1${path}`, {
    method,
    headers: { Authorization: `token ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  });
}

/** The bare repository of the project named `name` (its folder is the project's id, never its name). */
export async function repositoryOf(service: { data: ServiceData }, name: string): Promise<string> {
  const { id } = await service.data.db.selectFrom('projects').select('id').where('name', '=', name).executeTakeFirstOrThrow();
  return join(service.data.repositoriesDir, `${id}.git`);
}

/** A real service (SQLite or PostgreSQL, repositories in a temp dir) on a random loopback port. */
export interface TestService {
  url: string;
  engine: Engine;
  /** The service's data directory (SQLite file, repositories). */
  dataDir: string;
  /** What the service logged, a JSON line each. */
  logs: string[];
  data: ServiceData;
  accounts: Accounts;
  /** Adds a user and returns a fresh token for them. */
  userWithToken(name: string, options?: { admin?: boolean }): Promise<string>;
  /** Stops the service as SIGTERM does and starts it again on the same data (at a new url). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface TestServiceOptions {
  maxPushBytes?: number;
  /** Webhook policy and delivery pacing; the delivery worker runs only when `deliver` is set. */
  webhooks?: ServiceDependencies['webhooks'];
  browseLimits?: ServiceDependencies['browseLimits'];
  deliver?: boolean;
  /** The operator's token for GET /metrics (closed without one). */
  metricsToken?: string;
}

export async function startTestService(engine: Engine = 'sqlite', options: TestServiceOptions = {}): Promise<TestService> {
  const dataDir = temporaryDirectory('hubshare-service-');
  const postgres = engine === 'postgres' ? await freshPostgresDatabase() : undefined;
  const logs: string[] = [];
  const issuedTokens: string[] = [];
  const start = async () => {
    const data = await openServiceData({ dataDir: dataDir.path, databaseUrl: postgres?.url });
    const accounts = new Accounts(new AccountsStore(data.db));
    const { app, deliveries, close: stopApp } = createServiceApp({
      data,
      identity: { resolve: token => accounts.authenticate(token) },
      git: new GitRunner(dataDir.path),
      limits: options.maxPushBytes ? { maxPushBytes: options.maxPushBytes } : undefined,
      webhooks: options.webhooks,
      browseLimits: options.browseLimits,
      metricsToken: options.metricsToken,
      logger: pino({ level: 'info' }, { write: (line: string) => logs.push(line) })
    });
    const server = await listen(app);
    if (options.deliver) {
      deliveries.start();
    }
    return {
      data,
      accounts,
      server,
      async stop() {
        await server.close();
        await deliveries.stop();
        await stopApp();
        await data.close();
      }
    };
  };
  let running = await start();
  const service: TestService = {
    url: running.server.url,
    engine,
    dataDir: dataDir.path,
    logs,
    data: running.data,
    accounts: running.accounts,
    async restart() {
      await running.stop();
      running = await start();
      service.url = running.server.url;
      service.data = running.data;
      service.accounts = running.accounts;
    },
    async userWithToken(name, options = {}) {
      await running.accounts.addUser(name, { admin: options.admin, existOk: true });
      const { token } = await running.accounts.createToken(name, 'test');
      issuedTokens.push(token);
      return token;
    },
    async close() {
      // Every suite that starts a service greps its whole log for every token it issued.
      const leaked = [...issuedTokens, ...(options.metricsToken ? [options.metricsToken] : [])].filter(token => logs.some(line => line.includes(token) || line.includes(token.slice(3))));
      if (leaked.length > 0) {
        throw new Error(`the service log holds ${leaked.length} token(s)`);
      }
      await running.stop();
      await postgres?.drop();
      dataDir.remove();
    }
  };
  return service;
}
