import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BadRequest } from '../shared/errors';
import { AddressPolicy } from './webhooks/address-policy';

/** Where the service keeps its data and where it listens. */
export interface ServiceConfig {
  dataDir: string;
  host: string;
  port: number;
  /** The largest push accepted, in bytes (git's receive.maxInputSize on new repositories). */
  maxPushBytes: number;
  /** Let webhooks point at this machine's loopback addresses, over http too (tests, local receivers). */
  webhookAllowLoopbackHttp: boolean;
  /** Host names, addresses and CIDR ranges inside the network that webhooks may reach anyway. */
  webhookAllowHosts: string[];
  /** A `postgres://` URL; undefined for the embedded SQLite file under dataDir. */
  databaseUrl: string | undefined;
  /** The operator's token for `GET /metrics` (HUBSHARE_METRICS_TOKEN; never a flag, which `ps` shows). */
  metricsToken: string | undefined;
  /** Set when running as a JupyterHub service: where the hub is, and the URL prefix it routes to us. */
  hub: { apiUrl: string; serviceName: string; prefix: string } | undefined;
}

/** The service's settings under JupyterHub, from the environment a managed service gets. */
function hubSettings(env: NodeJS.ProcessEnv): ServiceConfig['hub'] {
  const apiUrl = env.JUPYTERHUB_API_URL;
  if (!apiUrl || !env.JUPYTERHUB_API_TOKEN) {
    return undefined;
  }
  const serviceName = env.JUPYTERHUB_SERVICE_NAME ?? env.JUPYTERHUB_CLIENT_ID?.replace(/^service-/, '') ?? 'hubshare';
  const prefix = `/${(env.JUPYTERHUB_SERVICE_PREFIX ?? `/services/${serviceName}/`).replace(/^\/+|\/+$/g, '')}`;
  return { apiUrl, serviceName, prefix };
}

const DEFAULT_PORT = 8765;
const DEFAULT_MAX_PUSH_MB = 2048;

/**
 * Reads the service options: command-line flags win over `HUBSHARE_*` environment variables,
 * which win over the embedded defaults.
 * @throws BadRequest on an unknown flag or an invalid value, with a sentence saying which.
 */
export function parseServiceConfig(args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): ServiceConfig {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        'data-dir': { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        database: { type: 'string' },
        'max-push-mb': { type: 'string' },
        'webhook-allow-loopback-http': { type: 'boolean' },
        'webhook-allow-hosts': { type: 'string' }
      },
      strict: true,
      allowPositionals: false
    }));
  } catch (error) {
    throw new BadRequest(error instanceof Error ? error.message : String(error), 'usage');
  }
  const dataDir = resolve(cwd, values['data-dir'] ?? env.HUBSHARE_DATA_DIR ?? '.hubshare-data');
  // Under JupyterHub the hub says where it will send our requests (JUPYTERHUB_SERVICE_URL).
  const hubUrl = env.JUPYTERHUB_SERVICE_URL ? new URL(env.JUPYTERHUB_SERVICE_URL) : undefined;
  const host = values.host ?? env.HUBSHARE_HOST ?? hubUrl?.hostname ?? '127.0.0.1';
  const portText = values.port ?? env.HUBSHARE_PORT ?? (hubUrl?.port || String(DEFAULT_PORT));
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) {
    throw new BadRequest(`--port must be a number from 0 to 65535, not "${portText}".`, 'usage');
  }
  const database = values.database ?? env.HUBSHARE_DATABASE_URL;
  if (database !== undefined && database !== 'sqlite' && !/^postgres(ql)?:\/\//.test(database)) {
    throw new BadRequest('--database must be "sqlite" or a postgres:// connection URL.', 'usage');
  }
  const maxPushText = values['max-push-mb'] ?? env.HUBSHARE_MAX_PUSH_MB ?? String(DEFAULT_MAX_PUSH_MB);
  if (!/^\d{1,7}$/.test(maxPushText) || Number(maxPushText) < 1) {
    throw new BadRequest(`--max-push-mb must be a whole number of megabytes (1 or more), not "${maxPushText}".`, 'usage');
  }
  const loopbackText = env.HUBSHARE_WEBHOOK_ALLOW_LOOPBACK_HTTP ?? '';
  if (!['', '0', '1', 'false', 'true'].includes(loopbackText)) {
    throw new BadRequest(`HUBSHARE_WEBHOOK_ALLOW_LOOPBACK_HTTP must be "1" or "0", not "${loopbackText.slice(0, 40)}".`, 'usage');
  }
  const allowHosts = (values['webhook-allow-hosts'] ?? env.HUBSHARE_WEBHOOK_ALLOW_HOSTS ?? '')
    .split(',')
    .map(entry => entry.trim())
    .filter(entry => entry.length > 0);
  try {
    new AddressPolicy({ allowLoopbackHttp: false, allowedHosts: allowHosts });
  } catch (error) {
    throw new BadRequest(`--webhook-allow-hosts: ${error instanceof Error ? error.message : String(error)}`, 'usage');
  }
  const metricsToken = env.HUBSHARE_METRICS_TOKEN || undefined;
  if (metricsToken !== undefined && !/^[\x21-\x7e]{24,512}$/.test(metricsToken)) {
    // Never echoed: a mistyped secret is still mostly the secret.
    throw new BadRequest('HUBSHARE_METRICS_TOKEN must be 24 to 512 printable characters without spaces (for example: openssl rand -hex 32).', 'usage');
  }
  return {
    dataDir,
    host,
    port: Number(portText),
    maxPushBytes: Number(maxPushText) * 1024 * 1024,
    webhookAllowLoopbackHttp: values['webhook-allow-loopback-http'] ?? (loopbackText === '1' || loopbackText === 'true'),
    webhookAllowHosts: allowHosts,
    databaseUrl: database === 'sqlite' ? undefined : database,
    metricsToken,
    hub: hubSettings(env)
  };
}
