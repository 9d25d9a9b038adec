/**
 * The second stack of the UI run (playwright.config.ts starts it with start-stack.sh): its own
 * service and JupyterLab, signed in as dana, whose service many-projects.spec.ts fills with a hub
 * of 20,000 projects. Ports from the environment, or these.
 */
export const MANY_PROJECTS_STACK = {
  /** Relative to ui-tests/. */
  runDir: '.run-many',
  user: 'dana',
  jupyterPort: process.env.HUBSHARE_UI_MANY_JUPYTER_PORT ?? '18889',
  servicePort: process.env.HUBSHARE_UI_MANY_SERVICE_PORT ?? '18766',
  get jupyterUrl(): string {
    return `http://127.0.0.1:${this.jupyterPort}`;
  }
};
