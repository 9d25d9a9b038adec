import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentApp } from '../../server/agent/app';
import { ServiceClient } from '../../server/agent/service-client';
import { createServiceApp } from '../../server/service/app';
import { pino } from 'pino';
import { GitRunner } from '../../server/service/git/git-runner';
import type { DeclaredRoute, RouteTable } from '../../server/shared/route-table';
import { listen, type Listening } from './http-harness';
import { startTestService, type TestService } from './service/service-harness';

/** The only routes anyone may reach without credentials. */
const PUBLIC_ROUTES = new Set(['GET /health', 'GET /ready']);

/** Counts the route layers express really registered, nested routers included. */
function registeredRouteCount(app: Express): number {
  interface Layer {
    route?: { methods: Record<string, boolean> };
    handle?: { stack?: Layer[] };
  }
  const count = (stack: Layer[]): number =>
    stack.reduce(
      (sum, layer) =>
        sum + (layer.route ? Object.keys(layer.route.methods).filter(m => m !== '_all').length : 0) + count(layer.handle?.stack ?? []),
      0
    );
  return count((app as unknown as { router: { stack: Layer[] } }).router.stack);
}

/** Fills `:param` segments with harmless sample values. */
function samplePath(path: string): string {
  return path.replace(/:(\w+)/g, 'sample-$1');
}

function checkEveryRoute(name: string, build: () => { app: Express; routes: RouteTable }, badCredentials: Record<string, string>) {
  describe(`${name}: every route needs authentication`, () => {
    const { app, routes } = build();
    let server: Listening;
    beforeAll(async () => {
      server = await listen(app);
    });
    afterAll(() => server.close());

    it('declares every route it registers through the route table (nothing bypasses it)', () => {
      expect(routes.routes.length).toBeGreaterThan(0);
      expect(registeredRouteCount(app)).toBe(routes.routes.length);
    });

    it.each(routes.routes.filter(route => /[:*]/.test(route.path)).map((route: DeclaredRoute) => [`${route.method.toUpperCase()} ${route.path}`, route] as const))(
      'malformed percent-encoding in every parameter of %s is a 400 in the JSON error shape, never a 500',
      async (_label, route) => {
        for (const malformed of ['%ff', '%', '%zz', '%e2%82']) {
          const path = route.path.replace(/:(\w+)|\*(\w+)/g, `x${malformed}y`).replace(/[{}]/g, '');
          for (const headers of [{}, badCredentials]) {
            const response = await fetch(`${server.url}${path}`, { method: route.method.toUpperCase(), headers });
            expect(response.status, `${route.method} ${path}`).toBe(400);
            const body = (await response.json()) as { error?: { code?: unknown } };
            expect(body.error?.code).toBe('bad_path');
          }
        }
      }
    );

    it.each(routes.routes.map((route: DeclaredRoute) => [`${route.method.toUpperCase()} ${route.path}`, route] as const))(
      '%s',
      async (label, route) => {
        const url = `${server.url}${samplePath(route.path)}`;
        const method = route.method.toUpperCase();
        const anonymous = await fetch(url, { method });
        const wrong = await fetch(url, { method, headers: badCredentials });
        if (PUBLIC_ROUTES.has(label)) {
          expect(route.access).toBe('public');
          expect(anonymous.status).toBeLessThan(400);
        } else {
          expect(route.access).not.toBe('public');
          expect(anonymous.status).toBe(401);
          expect(wrong.status).toBe(401);
        }
      }
    );
  });
}

// Routes are enumerated when the tests are collected, so the service's store opens up front.
const service: TestService = await startTestService();
afterAll(() => service.close());

checkEveryRoute(
  'service',
  () =>
    createServiceApp({
      data: service.data,
      git: new GitRunner(service.dataDir),
      identity: { resolve: token => service.accounts.authenticate(token) },
      metricsToken: 'the-operator-metrics-token-long-enough',
      logger: pino({ enabled: false })
    }),
  { Authorization: 'token hs_forged' }
);

checkEveryRoute(
  'agent',
  () =>
    createAgentApp({
      rootDir: '/home/alice',
      proxySecret: 'the-real-secret-is-long-enough-for-the-agent',
      service: new ServiceClient(undefined, undefined),
      log: () => {}
    }),
  { 'X-HubShare-Agent-Secret': 'the-wrong-secret-is-also-long-enough-to-try' }
);
