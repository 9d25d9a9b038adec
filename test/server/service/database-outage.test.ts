import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../http-harness';
import { freshPostgresDatabase } from './test-databases';

const bin = join(__dirname, '..', '..', '..', 'bin', 'hubshare-service.cjs');
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup();
  }
});

/** Starts the real service process on `databaseUrl`; resolves with its URL and what it printed. */
async function serve(databaseUrl: string): Promise<{ url: string; child: ChildProcess; stderr: () => string; exited: Promise<number | null> }> {
  const dir = temporaryDirectory('hubshare-outage-');
  const child = spawn(process.execPath, [bin, 'serve', '--data-dir', dir.path, '--port', '0', '--database', databaseUrl], {
    stdio: ['ignore', 'ignore', 'pipe']
  });
  let stderr = '';
  const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
  cleanups.push(() => dir.remove());
  cleanups.push(async () => {
    child.kill('SIGKILL');
    await exited;
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      if (match) {
        resolve(match[1]);
      }
    });
    void exited.then(code => reject(new Error(`exited with ${code}: ${stderr}`)));
  });
  return { url, child, stderr: () => stderr, exited };
}

/** Ends every connection but the caller's to the database `name` (what a restart or failover does). */
async function dropConnections(adminUrl: string, name: string): Promise<number> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const result = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
    return result.rowCount ?? 0;
  } finally {
    await admin.end();
  }
}

describe('the service on PostgreSQL when the database drops its connections', () => {
  it('keeps running and answers again when PostgreSQL ends its idle connections (a restart or failover crashed the process)', async () => {
    const database = await freshPostgresDatabase();
    cleanups.push(() => database.drop());
    const service = await serve(database.url);
    // A few requests at once, so the pool holds several idle connections.
    const ready = await Promise.all(Array.from({ length: 4 }, () => fetch(`${service.url}/health`)));
    expect(ready.map(response => response.status)).toEqual([200, 200, 200, 200]);
    const name = new URL(database.url).pathname.slice(1);
    expect(await dropConnections(process.env.HUBSHARE_TEST_POSTGRES_URL ?? '', name)).toBeGreaterThan(0);
    await new Promise(resolve => setTimeout(resolve, 300));
    const alive = await Promise.race([service.exited.then(code => `exited with ${code}: ${service.stderr()}`), fetch(`${service.url}/health`).then(r => r.status)]);
    expect(alive).toBe(200);
    expect(service.stderr()).toContain('database connection');
  });
});
