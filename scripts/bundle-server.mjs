// Bundles the Node parts into the Python package, so that after `pip install` only `node` is
// needed: the agent, the `hubshare` CLI, and the service (for `hubshare-service` and the embedded
// single-user default), with SQLite's native addon copied beside it.
import { build } from 'esbuild';
import { copyFileSync, readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: false,
  legalComments: 'linked',
  logLevel: 'warning',
  define: { __HUBSHARE_VERSION__: JSON.stringify(version), __HUBSHARE_BUNDLED__: 'true' }
};

await build({ ...common, entryPoints: ['server/agent/main.ts'], outfile: 'jupyterlab_hubshare/node/agent.cjs' });
await build({ ...common, entryPoints: ['server/agent/cli-main.ts'], outfile: 'jupyterlab_hubshare/node/hubshare.cjs' });
await build({ ...common, entryPoints: ['server/service/main.ts'], outfile: 'jupyterlab_hubshare/node/service.cjs', external: ['pg-native'] });
copyFileSync('node_modules/better-sqlite3/build/Release/better_sqlite3.node', 'jupyterlab_hubshare/node/better_sqlite3.node');
