import { chmodSync, rmSync } from 'node:fs';
import { createAgentApp } from './app';
import { AgentConfigError, parseAgentConfig } from './config';
import { ServiceClient } from './service-client';

/**
 * Entry point of the agent, started by the server extension. It listens on a unix socket and
 * exits when its parent goes away (stdin closes), so no agent outlives its Jupyter server.
 */
function main(): void {
  let config;
  try {
    config = parseAgentConfig(process.env);
  } catch (error) {
    if (error instanceof AgentConfigError) {
      process.stderr.write(`hubshare agent: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const log = (message: string) => process.stderr.write(`hubshare agent: ${message}\n`);
  const { app } = createAgentApp({
    rootDir: config.rootDir,
    proxySecret: config.proxySecret,
    service: new ServiceClient(config.serviceUrl, config.serviceToken),
    allowHttpLoopback: process.env.HUBSHARE_ALLOW_HTTP_LOOPBACK === '1',
    log
  });
  rmSync(config.socketPath, { force: true });
  const server = app.listen(config.socketPath, () => {
    chmodSync(config.socketPath, 0o600);
    log(`serving ${config.rootDir} on ${config.socketPath}`);
  });
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main();
