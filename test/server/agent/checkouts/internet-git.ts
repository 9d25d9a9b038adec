import { type HttpBackend, startHttpBackend } from '../../git-http-backend';

/**
 * "The internet" for clone tests: a plain git smart-HTTP server on loopback (git's own
 * http-backend, no authentication, no pushes) serving the bare repositories under `root`.
 */
export function serveRepositories(root: string): Promise<HttpBackend> {
  return startHttpBackend(root, { pushes: false });
}
