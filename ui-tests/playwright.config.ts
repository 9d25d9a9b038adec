import { defineConfig } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { browserOptions } from './browser-options';

// One JupyterLab + HubShare service stack for the whole run (see start-stack.sh). The token is
// chosen here once; worker processes inherit it through the environment.
process.env.HUBSHARE_UI_JUPYTER_TOKEN ??= randomBytes(24).toString('hex');
process.env.HUBSHARE_UI_JUPYTER_PORT ??= '18888';
process.env.HUBSHARE_UI_SERVICE_PORT ??= '18765';
const jupyterUrl = `http://127.0.0.1:${process.env.HUBSHARE_UI_JUPYTER_PORT}`;

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['html', { outputFolder: 'playwright-report', open: 'never' }]],
  use: {
    baseURL: jupyterUrl,
    ...browserOptions
  },
  webServer: {
    command: 'bash ui-tests/start-stack.sh',
    cwd: '..',
    url: `${jupyterUrl}/api`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 }
  }
});
