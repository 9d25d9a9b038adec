#!/usr/bin/env node
// The `hubshare` executable: runs the bundled CLI (built by `npm run build`).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const bundle = join(__dirname, '..', 'jupyterlab_hubshare', 'node', 'hubshare.cjs');
if (!existsSync(bundle)) {
  process.stderr.write('hubshare: not built yet; run `npm run build` first.\n');
  process.exit(5);
}
require(bundle);
