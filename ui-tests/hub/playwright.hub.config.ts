import { defineConfig } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { browserOptions } from '../browser-options';

// The whole story on a real JupyterHub (deploy/jupyterhub/): the hub, its proxy, the HubShare
// service it manages, and one single-user server per person, spawned on login.
process.env.HUB_PORT ??= '18000';
process.env.HUB_API_PORT ??= '18081';
process.env.HUB_PROXY_API_PORT ??= '18001';
process.env.HUBSHARE_SERVICE_PORT ??= '18865';
process.env.HUB_E2E_ADMIN_TOKEN ??= randomBytes(24).toString('hex');
const hubUrl = `http://127.0.0.1:${process.env.HUB_PORT}`;

export default defineConfig({
  testDir: '.',
  outputDir: '../test-results/hub',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 540_000,
  expect: { timeout: 30_000 },
  reporter: [['list']],
  use: {
    baseURL: hubUrl,
    // A step that fails says so in a minute, not at the end of the whole story's time.
    actionTimeout: 60_000,
    ...browserOptions
  },
  webServer: {
    command: 'bash ui-tests/hub/start-hub.sh',
    cwd: '../..',
    url: `${hubUrl}/hub/api`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 }
  }
});
