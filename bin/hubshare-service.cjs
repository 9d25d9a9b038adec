#!/usr/bin/env node
// The `hubshare-service` executable: runs the bundled service (built by `npm run build`).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const bundle = join(__dirname, '..', 'jupyterlab_hubshare', 'node', 'service.cjs');
if (!existsSync(bundle)) {
  process.stderr.write('hubshare-service: not built yet; run `npm run build` first.\n');
  process.exit(5);
}
require(bundle);
