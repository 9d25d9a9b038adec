import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorCodeOf } from '../http-harness';
import { startTestService, type TestService } from './service-harness';
import { testEngines } from './test-databases';

describe.each(testEngines())('GET /api/v1/user and the ways to present a token, on %s', engine => {
  let service: TestService;
  let token: string;
  beforeEach(async () => {
    service = await startTestService(engine);
    token = await service.userWithToken('alice');
  });
  afterEach(async () => {
    await service.close();
  });

  const me = (headers: Record<string, string>) => fetch(`${service.url}/api/v1/user`, { headers });

  it.each([
    ['token scheme', () => ({ Authorization: `token ${token}` })],
    ['Bearer scheme', () => ({ Authorization: `Bearer ${token}` })],
    ['HTTP Basic with the user name', () => ({ Authorization: `Basic ${Buffer.from(`alice:${token}`).toString('base64')}` })]
  ])('accepts the %s', async (_name, headers) => {
    const response = await me(headers());
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ name: 'alice', admin: false, teams: [] });
  });

  it('refuses a request without a token with 401 and a Basic challenge (so git asks for credentials)', async () => {
    const response = await me({});
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm="HubShare"/);
    expect(await errorCodeOf(response)).toBe('unauthorized');
  });

  it('refuses HTTP Basic naming another user than the token belongs to', async () => {
    await service.userWithToken('bob');
    const response = await me({ Authorization: `Basic ${Buffer.from(`bob:${token}`).toString('base64')}` });
    expect(response.status).toBe(401);
  });

  it('refuses an unknown token, and a revoked one on its very next request', async () => {
    expect((await me({ Authorization: 'token hs_not-a-real-token' })).status).toBe(401);
    const [listed] = await service.accounts.listTokens('alice');
    expect((await me({ Authorization: `token ${token}` })).status).toBe(200);
    await service.accounts.revokeToken('alice', listed.id);
    const response = await me({ Authorization: `token ${token}` });
    expect(response.status).toBe(401);
    expect(await errorCodeOf(response)).toBe('invalid_token');
  });

  it('records when a token was last used', async () => {
    expect((await service.accounts.listTokens('alice'))[0].lastUsedAt).toBeNull();
    await me({ Authorization: `token ${token}` });
    expect((await service.accounts.listTokens('alice'))[0].lastUsedAt).not.toBeNull();
  });

  it('stores only a hash of the token, never its value', async () => {
    const rows = await service.data.db.selectFrom('api_tokens').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);
  });
});
