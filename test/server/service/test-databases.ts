import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Engine } from '../../../server/service/storage/open-store';

/**
 * The engines the service suites run against: both by default. PostgreSQL needs a server
 * (`scripts/test-postgres.sh` starts one for `npm test`) whose admin URL is in
 * HUBSHARE_TEST_POSTGRES_URL; without it the PostgreSQL half fails, loudly, rather than skip.
 */
export function testEngines(): Engine[] {
  const wanted = (process.env.HUBSHARE_TEST_ENGINES ?? 'sqlite,postgres').split(',').map(name => name.trim());
  return wanted.filter((name): name is Engine => name === 'sqlite' || name === 'postgres');
}

/** A fresh, empty PostgreSQL database for one test service, and how to drop it. */
export async function freshPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = process.env.HUBSHARE_TEST_POSTGRES_URL;
  if (!adminUrl) {
    throw new Error(
      'HUBSHARE_TEST_POSTGRES_URL is not set: start PostgreSQL with `source scripts/test-postgres.sh`, ' +
        'or run only SQLite with HUBSHARE_TEST_ENGINES=sqlite.'
    );
  }
  const name = `hubshare_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    }
  };
}
