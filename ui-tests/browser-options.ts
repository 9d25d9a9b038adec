import type { PlaywrightTestConfig } from '@playwright/test';

/**
 * How both UI suites (JupyterLab alone, and the JupyterHub story) drive the browser: Debian's
 * chromium, headless, offline, one laptop-sized window, evidence kept only for failures.
 */
export const browserOptions: NonNullable<PlaywrightTestConfig['use']> = {
  viewport: { width: 1280, height: 800 },
  screenshot: 'only-on-failure',
  trace: 'retain-on-failure',
  video: 'off',
  launchOptions: {
    executablePath: process.env.HUBSHARE_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync'
    ]
  }
};
