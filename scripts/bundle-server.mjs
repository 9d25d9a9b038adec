// Bundles the Node parts: the agent and the `hubshare` CLI into the Python package (so `pip install` carries it and only
// `node` is needed at run time), the service into dist/ (it keeps its native SQLite driver in
// node_modules beside it).
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: false,
  legalComments: 'linked',
  logLevel: 'warning',
  define: { __HUBSHARE_VERSION__: JSON.stringify(version) }
};

await build({ ...common, entryPoints: ['server/agent/main.ts'], outfile: 'jupyterlab_hubshare/node/agent.cjs' });
await build({ ...common, entryPoints: ['server/agent/cli-main.ts'], outfile: 'jupyterlab_hubshare/node/hubshare.cjs' });
await build({ ...common, entryPoints: ['server/service/main.ts'], outfile: 'dist/service.cjs', external: ['better-sqlite3'] });
