import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROXY_SECRET_HEADER } from '../../../server/agent/access';
import { createAgentApp } from '../../../server/agent/app';
import { ServiceClient, type ServiceStatus } from '../../../server/agent/service-client';
import { listen, type Listening } from '../http-harness';
import { startTestService, type TestService } from '../service/service-harness';

const SECRET = 'a-test-secret-that-is-long-enough-to-pass';

async function startAgent(service: ServiceClient): Promise<Listening> {
  const { app } = createAgentApp({ rootDir: '/home/alice', proxySecret: SECRET, service, log: () => {} });
  return listen(app);
}

async function statusOf(agent: Listening): Promise<{ version: string; rootDir: string; service: ServiceStatus }> {
  const response = await fetch(`${agent.url}/api/status`, { headers: { [PROXY_SECRET_HEADER]: SECRET } });
  expect(response.status).toBe(200);
  return (await response.json()) as { version: string; rootDir: string; service: ServiceStatus };
}

describe('GET /api/status (agent)', () => {
  let service: TestService;
  let agent: Listening | undefined;
  beforeEach(async () => {
    service = await startTestService();
  });
  afterEach(async () => {
    await agent?.close();
    await service.close();
  });

  it('reports the version, the root directory, and the signed-in user of a reachable service', async () => {
    const token = await service.userWithToken('alice');
    agent = await startAgent(new ServiceClient(service.url, token));
    expect(await statusOf(agent)).toMatchObject({
      version: '0.1.0',
      rootDir: '/home/alice',
      service: { url: service.url, reachable: true, user: { name: 'alice', admin: false }, problem: null }
    });
  });

  it('says when no service is configured', async () => {
    agent = await startAgent(new ServiceClient(undefined, undefined));
    const status = await statusOf(agent);
    expect(status.service).toMatchObject({ url: null, reachable: false, user: null, problem: { code: 'not_configured' } });
  });

  it('says when the service does not answer', async () => {
    const unreachable = `${service.url}`;
    await service.close();
    service = await startTestService();
    agent = await startAgent(new ServiceClient(unreachable, 'hs_whatever'));
    expect((await statusOf(agent)).service).toMatchObject({ reachable: false, problem: { code: 'unreachable' } });
  });

  it('says when the service refuses the token, without ever echoing the token', async () => {
    agent = await startAgent(new ServiceClient(service.url, 'hs_wrong-token-value'));
    const status = await statusOf(agent);
    expect(status.service).toMatchObject({ reachable: true, user: null, problem: { code: 'invalid_token' } });
    expect(JSON.stringify(status)).not.toContain('hs_wrong-token-value');
  });

  it('says when there is no token to present', async () => {
    agent = await startAgent(new ServiceClient(service.url, undefined));
    expect((await statusOf(agent)).service).toMatchObject({ reachable: true, problem: { code: 'no_token' } });
  });
});
