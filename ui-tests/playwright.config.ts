import { defineConfig } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { browserOptions } from './browser-options';
import { MANY_PROJECTS_STACK } from './many-projects-stack';

// One JupyterLab + HubShare service stack for the whole run (see start-stack.sh), signed in as
// alice, and a second one only many-projects.spec.ts uses: a hub of 20,000 projects there would
// change what every other spec sees in alice's panel. The token is chosen here once (both labs
// take it); worker processes inherit it through the environment.
process.env.HUBSHARE_UI_JUPYTER_TOKEN ??= randomBytes(24).toString('hex');
process.env.HUBSHARE_UI_JUPYTER_PORT ??= '18888';
process.env.HUBSHARE_UI_SERVICE_PORT ??= '18765';
const jupyterUrl = `http://127.0.0.1:${process.env.HUBSHARE_UI_JUPYTER_PORT}`;

const stack = (url: string) => ({
  command: 'bash ui-tests/start-stack.sh',
  cwd: '..',
  url: `${url}/api`,
  timeout: 120_000,
  reuseExistingServer: false,
  stdout: 'ignore' as const,
  stderr: 'pipe' as const,
  gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 10_000 }
});

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
  webServer: [
    stack(jupyterUrl),
    {
      ...stack(MANY_PROJECTS_STACK.jupyterUrl),
      env: {
        HUBSHARE_UI_RUN_DIR: resolve(__dirname, MANY_PROJECTS_STACK.runDir),
        HUBSHARE_UI_USER: MANY_PROJECTS_STACK.user,
        HUBSHARE_UI_JUPYTER_PORT: MANY_PROJECTS_STACK.jupyterPort,
        HUBSHARE_UI_SERVICE_PORT: MANY_PROJECTS_STACK.servicePort
      }
    }
  ]
});
