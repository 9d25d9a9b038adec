import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';

/** Query parameters worth a log line; anything else (where a careless client might put a secret) is dropped. */
const LOGGED_QUERY = new Set(['service', 'scope']);

/**
 * The request target's path as it came, with only allow-listed query parameters. Split by hand,
 * not parsed as a URL: a target such as `//` reads as a URL with an empty host and throws.
 */
function loggedUrl(originalUrl: string): string {
  const question = originalUrl.indexOf('?');
  const path = question === -1 ? originalUrl : originalUrl.slice(0, question);
  const query = question === -1 ? '' : originalUrl.slice(question + 1).split('#')[0];
  const kept = [...new URLSearchParams(query)].filter(([name]) => LOGGED_QUERY.has(name));
  return kept.length > 0 ? `${path}?${new URLSearchParams(kept).toString()}` : path;
}

/**
 * One log line a request: method, path (query allow-listed), status, time, the user if signed in.
 * Headers are never logged, so neither tokens nor Basic credentials can reach the log.
 */
export function requestLog(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    quietReqLogger: true,
    serializers: {
      req: (req: { method: string; originalUrl?: string; url: string; remoteAddress?: string }) => ({
        method: req.method,
        url: loggedUrl(req.originalUrl ?? req.url),
        remoteAddress: req.remoteAddress
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode })
    },
    customProps: (_req, res) => {
      const caller = (res as unknown as { locals?: { caller?: { name: string } } }).locals?.caller;
      return caller ? { user: caller.name } : {};
    },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: (req, res) => `${req.method} ${loggedUrl(req.url ?? '')} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${loggedUrl(req.url ?? '')} ${res.statusCode}`
  }) as unknown as RequestHandler;
}
