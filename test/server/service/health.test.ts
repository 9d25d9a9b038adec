import { readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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

  it('says it is ready when the database answers and the data directory takes a write', async () => {
    const response = await fetch(`${service.url}/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', version: '0.1.0', database: engine });
    expect(readdirSync(service.data.repositoriesDir).filter(name => name.startsWith('.ready'))).toEqual([]);
  });

  it('is not ready, and says why, when the data directory cannot be written; alive all the same', async () => {
    const repositories = service.data.repositoriesDir;
    renameSync(repositories, `${repositories}.away`);
    writeFileSync(repositories, 'not a folder');
    try {
      const response = await fetch(`${service.url}/ready`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        error: { code: 'not_ready', message: 'Not ready: the data directory cannot be written (ENOTDIR).' }
      });
      expect((await fetch(`${service.url}/health`)).status).toBe(200);
    } finally {
      rmSync(repositories);
      renameSync(`${repositories}.away`, repositories);
    }
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
