import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from './service-harness';
import { testEngines } from './test-databases';

describe.each(testEngines())('GET /health on %s', engine => {
  let service: TestService;
  beforeEach(async () => {
    service = await startTestService(engine);
  });
  afterEach(async () => {
    await service.close();
  });

  it('answers without authentication, with the version and the database engine', async () => {
    const response = await fetch(`${service.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', version: '0.1.0', database: engine });
  });

  it('answers unknown routes with the JSON error shape, not an HTML page', async () => {
    const response = await fetch(`${service.url}/no/such/route`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({
      error: { code: 'no_such_route', message: 'There is no GET /no/such/route here.' }
    });
  });
});
