import type { Express } from 'express';
import { createJsonApp } from '../shared/json-app';
import type { RouteTable } from '../shared/route-table';
import { proxiedFromJupyter } from './access';
import { PageLinks } from './page-links';
import { browseRoutes } from './routes/browse-routes';
import { checkoutRoutes } from './routes/checkout-routes';
import { sharingRoutes } from './routes/sharing-routes';
import { statusRoutes } from './routes/status';
import type { ServiceClient } from './service-client';

export interface AgentDependencies {
  rootDir: string;
  proxySecret: string;
  service: ServiceClient;
  /** Let clones use http:// to loopback (tests only). */
  allowHttpLoopback?: boolean;
  log?: (message: string) => void;
}

/**
 * Builds the per-user agent's HTTP app. The server extension proxies `/hubshare/<path>` here as
 * `/<path>`, so routes are declared without the `/hubshare` prefix.
 */
export function createAgentApp(deps: AgentDependencies): { app: Express; routes: RouteTable } {
  const proxied = proxiedFromJupyter(deps.proxySecret);
  const links = new PageLinks();
  return createJsonApp(
    routes => {
      statusRoutes(routes, proxied, { rootDir: deps.rootDir, service: deps.service });
      checkoutRoutes(routes, proxied, {
        rootDir: deps.rootDir,
        service: deps.service,
        allowHttpLoopback: deps.allowHttpLoopback,
        log: deps.log ?? (message => process.stderr.write(`${message}\n`))
      });
      sharingRoutes(routes, proxied, { service: deps.service });
      browseRoutes(routes, { proxied, pageLink: links.access(deps.proxySecret) }, { service: deps.service, links });
    },
    { log: deps.log }
  );
}
