import { createServiceApp } from '../../../server/service/app';
import { openDataDir } from '../../../server/service/data-dir';
import { Accounts } from '../../../server/service/domain/accounts';
import { AccountsStore } from '../../../server/service/storage/accounts-store';
import type { Database } from '../../../server/service/storage/database';
import { listen, temporaryDirectory } from '../http-harness';

/** A real service (SQLite in a temp data dir) on a random port, with its accounts at hand. */
export interface TestService {
  url: string;
  db: Database;
  accounts: Accounts;
  /** Adds a user and returns a fresh token for them. */
  userWithToken(name: string, options?: { admin?: boolean }): Promise<string>;
  close(): Promise<void>;
}

export async function startTestService(): Promise<TestService> {
  const dataDir = temporaryDirectory('hubshare-service-');
  const db = await openDataDir(dataDir.path);
  const accounts = new Accounts(new AccountsStore(db));
  const { app } = createServiceApp({ db, identity: { resolve: token => accounts.authenticate(token) }, log: () => {} });
  const server = await listen(app);
  return {
    url: server.url,
    db,
    accounts,
    async userWithToken(name, options = {}) {
      await accounts.addUser(name, { admin: options.admin, existOk: true });
      return (await accounts.createToken(name, 'test')).token;
    },
    async close() {
      await server.close();
      await db.close();
      dataDir.remove();
    }
  };
}
