import { isAbsolute, resolve } from 'node:path';

/** What the agent needs to run; read from the environment the server extension gives it. */
export interface AgentConfig {
  /** The unix socket to listen on, inside a directory only this user can open. */
  socketPath: string;
  /** The secret the server extension adds to every proxied request. */
  proxySecret: string;
  /** Jupyter's root directory: every path the agent touches is inside it. */
  rootDir: string;
  /** The HubShare service's base URL, or undefined when none is configured. */
  serviceUrl: string | undefined;
  /** The token to present to the service (HUBSHARE_TOKEN, else the hub's API token). */
  serviceToken: string | undefined;
}

/** Thrown for a configuration the agent cannot start with; the message says what to fix. */
export class AgentConfigError extends Error {}

/**
 * Parses and checks the agent's environment.
 * @throws AgentConfigError naming the variable that is missing or wrong.
 */
export function parseAgentConfig(env: NodeJS.ProcessEnv): AgentConfig {
  const socketPath = env.HUBSHARE_AGENT_SOCKET;
  if (!socketPath || !isAbsolute(socketPath)) {
    throw new AgentConfigError('HUBSHARE_AGENT_SOCKET must be the absolute path of the socket to listen on.');
  }
  const proxySecret = env.HUBSHARE_AGENT_SECRET;
  if (!proxySecret || proxySecret.length < 32) {
    throw new AgentConfigError('HUBSHARE_AGENT_SECRET must be set to a random secret of at least 32 characters.');
  }
  const rootDir = env.HUBSHARE_ROOT_DIR;
  if (!rootDir || !isAbsolute(rootDir)) {
    throw new AgentConfigError('HUBSHARE_ROOT_DIR must be the absolute path of Jupyter\'s root directory.');
  }
  return {
    socketPath,
    proxySecret,
    rootDir: resolve(rootDir),
    serviceUrl: parseServiceUrl(env.HUBSHARE_URL),
    serviceToken: env.HUBSHARE_TOKEN || env.JUPYTERHUB_API_TOKEN || undefined
  };
}

/**
 * Accepts an http(s) base URL without credentials in it (tokens go in headers, never in URLs).
 * @throws AgentConfigError for anything else.
 */
export function parseServiceUrl(raw: string | undefined): string | undefined {
  if (!raw) {
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AgentConfigError(`HUBSHARE_URL is not a URL: "${raw.slice(0, 100)}".`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AgentConfigError('HUBSHARE_URL must start with http:// or https://.');
  }
  if (url.username || url.password) {
    throw new AgentConfigError('HUBSHARE_URL must not contain a user name or password; use HUBSHARE_TOKEN.');
  }
  if (url.search || url.hash) {
    throw new AgentConfigError('HUBSHARE_URL must be a base URL, without ?query or #fragment.');
  }
  return url.toString().replace(/\/+$/, '');
}
