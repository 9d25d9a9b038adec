import type { Express } from 'express';
import type { Logger } from 'pino';
import { createJsonApp } from '../shared/json-app';
import type { RouteTable } from '../shared/route-table';
import { signedIn, type IdentityProvider } from './authentication';
import type { ServiceData } from './data-dir';
import { type Clock, systemClock } from './domain/accounts';
import { Browse, type BrowseLimits, DEFAULT_BROWSE_LIMITS } from './domain/browse';
import { Pages } from './domain/pages';
import { Events } from './domain/events';
import { Projects } from './domain/projects';
import { Pushes } from './domain/pushes';
import { Teams } from './domain/teams';
import { WebhookAudience } from './domain/webhook-audience';
import { Webhooks } from './domain/webhooks';
import type { GitRunner } from './git/git-runner';
import { ObjectReader } from './git/object-reader';
import { DEFAULT_REPOSITORY_POLICY, Repositories } from './git/repositories';
import { browseRoutes } from './routes/browse-routes';
import { eventRoutes } from './routes/event-routes';
import { type GitLimits, gitRoutes } from './routes/git-routes';
import { healthRoutes } from './routes/health';
import { metricsRoutes, operatorAccess } from './routes/metrics-routes';
import { projectAccessRules } from './routes/project-access';
import { pagesRoutes } from './routes/pages-routes';
import { projectRoutes } from './routes/project-routes';
import { ServiceMetrics } from './metrics';
import { requestLog } from './request-log';
import { teamRoutes } from './routes/team-routes';
import { userRoutes } from './routes/user-routes';
import { webhookRoutes } from './routes/webhook-routes';
import { AccountsStore } from './storage/accounts-store';
import { EventsStore } from './storage/events-store';
import { ProjectsStore } from './storage/projects-store';
import { TeamsStore } from './storage/teams-store';
import { WebhooksStore } from './storage/webhooks-store';
import { AddressPolicy, type AddressPolicyOptions } from './webhooks/address-policy';
import { DEFAULT_DELIVERY_OPTIONS, type DeliveryOptions, WebhookDeliveryWorker } from './webhooks/delivery-worker';
import { type Resolver, systemResolver } from './webhooks/webhook-post';

export interface ServiceDependencies {
  data: ServiceData;
  identity: IdentityProvider;
  git: GitRunner;
  limits?: Partial<GitLimits>;
  /** How far one browse answer may walk git's objects (tests lower them). */
  browseLimits?: Partial<BrowseLimits>;
  clock?: Clock;
  logger: Logger;
  /** The URL prefix to serve under (`/services/hubshare` under JupyterHub); none standalone. */
  basePath?: string;
  /** The operator's token for `GET /metrics`; without one, metrics are closed to everyone. */
  metricsToken?: string;
  /** Where webhooks may point, and how deliveries are paced. */
  webhooks?: Partial<AddressPolicyOptions & DeliveryOptions> & {
    /** How delivery host names are resolved (the system's resolver by default). */
    resolver?: Resolver;
  };
}

/**
 * The service: its HTTP app, its declared routes, the webhook worker its owner starts and stops,
 * and `close`, which waits for the pushes under way to record their events and stops the git
 * object readers (call it after the HTTP server has stopped, before the database closes).
 */
export interface ServiceApp {
  app: Express;
  routes: RouteTable;
  deliveries: WebhookDeliveryWorker;
  close(): Promise<void>;
}

export const DEFAULT_GIT_LIMITS: GitLimits = {
  maxPushBytes: DEFAULT_REPOSITORY_POLICY.maxPushBytes,
  maxFetchRequestBytes: 100 * 1024 * 1024
};

/** A repository without a project row this old is a killed create's or delete's (a create takes milliseconds). */
const ORPHAN_AGE_MS = 60 * 60_000;

/**
 * Builds the HubShare service's HTTP app from its dependencies; `main` only configures and listens.
 * The webhook delivery worker is built here but not started: whoever runs the service starts it
 * (and stops it before closing the database), so building an app for its routes sends nothing.
 */
export function createServiceApp(deps: ServiceDependencies): ServiceApp {
  const clock = deps.clock ?? systemClock;
  const log = (message: string) => deps.logger.error(message);
  const limits = { ...DEFAULT_GIT_LIMITS, ...deps.limits };
  const accountsStore = new AccountsStore(deps.data.db);
  const teamsStore = new TeamsStore(deps.data.db);
  const repositories = new Repositories(deps.data.repositoriesDir, deps.git, { maxPushBytes: limits.maxPushBytes });
  const projectsStore = new ProjectsStore(deps.data.db);
  const eventsStore = new EventsStore(deps.data.db);
  const projects = new Projects(projectsStore, accountsStore, teamsStore, repositories, clock);
  const teams = new Teams(teamsStore, accountsStore, clock);
  const events = new Events(eventsStore, projectsStore, teamsStore);
  const pushes = new Pushes(repositories, eventsStore, projectsStore, clock, log, deps.data.locks);

  const webhooksStore = new WebhooksStore(deps.data.db);
  const metrics = new ServiceMetrics({ pools: () => deps.data.pools(), pendingDeliveries: () => webhooksStore.pendingCount() });
  const addresses = new AddressPolicy({
    allowLoopbackHttp: deps.webhooks?.allowLoopbackHttp ?? false,
    allowedHosts: deps.webhooks?.allowedHosts ?? []
  });
  const webhooks = new Webhooks(webhooksStore, addresses, clock);
  const deliveries = new WebhookDeliveryWorker(
    webhooksStore,
    { ...DEFAULT_DELIVERY_OPTIONS, ...deps.webhooks },
    { policy: addresses, resolver: deps.webhooks?.resolver ?? systemResolver },
    new WebhookAudience(accountsStore, projects, projectsStore, teamsStore, events),
    clock,
    log,
    outcome => metrics.webhookAttempt(outcome)
  );
  const caller = signedIn(deps.identity);
  const rules = projectAccessRules(deps.identity, projects);
  const objects = new ObjectReader(deps.git);
  const browse = new Browse(repositories, objects, { ...DEFAULT_BROWSE_LIMITS, ...deps.browseLimits });

  const { app, routes } = createJsonApp(
    routes => {
      healthRoutes(routes, deps.data);
      metricsRoutes(routes, metrics, operatorAccess(deps.metricsToken));
      userRoutes(routes, caller, teams);
      projectRoutes(routes, projects, { signedIn: caller, need: rules.need });
      teamRoutes(routes, teams, caller);
      browseRoutes(routes, browse, rules.need);
      pagesRoutes(routes, new Pages(browse), rules.pagesReader);
      eventRoutes(routes, events, caller);
      webhookRoutes(routes, webhooks, teams, { signedIn: caller, need: rules.need });
      gitRoutes(routes, { git: deps.git, repositoriesDir: deps.data.repositoriesDir, limits, pushes, log, metrics }, rules);
    },
    {
      log,
      basePath: deps.basePath,
      configure: app => {
        app.set('trust proxy', 'loopback');
        app.use(requestLog(deps.logger));
        app.use(metrics.requestMiddleware());
      }
    }
  );
  // At start: repositories a killed create or delete left without a project row, then what
  // killed pushes left in each project's repository, each in the project's turn.
  const recovered = (async () => {
    const ids = await repositories.projectIds();
    const existing = await projectsStore.existing(ids);
    const removed = await repositories.removeLeftovers(
      ids.filter(id => !existing.has(id)),
      ORPHAN_AGE_MS
    );
    if (removed.length > 0) {
      log(`removed what killed creates and deletes left in the repositories folder: ${removed.join(', ')}`);
    }
    await pushes.recoverAll(ids.filter(id => existing.has(id)));
  })().catch((error: unknown) => log(`could not clear what killed operations left: ${error instanceof Error ? error.message : String(error)}`));
  return {
    app,
    routes,
    deliveries,
    async close() {
      await recovered;
      await pushes.idle();
      objects.close();
    }
  };
}
