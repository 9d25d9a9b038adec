import type { ErrorRequestHandler, RequestHandler } from 'express';
import { HubShareError, NotFound } from './errors';

/** The one JSON error shape every HubShare HTTP endpoint answers with. */
export interface ErrorBody {
  error: { code: string; message: string };
}

/** Answers requests that matched no route with a JSON 404. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new NotFound(`There is no ${req.method} ${req.path} here.`, 'no_such_route'));
};

/**
 * Turns thrown errors into the JSON error shape. Typed errors keep their status and message;
 * body-parser and path-decoding errors become 400s; anything else is a 500 whose detail goes to the log only.
 */
export function errorHandler(log: (message: string) => void = console.error): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const body = toErrorBody(error, log);
    const send = () => res.status(body.status).json({ error: body.error } satisfies ErrorBody);
    if (req.complete || req.readableEnded) {
      send();
      return;
    }
    // Read the rest of an unread request body before answering: a proxy (Jupyter's, or any
    // reverse proxy) that is still sending it would otherwise see the connection reset instead
    // of our answer.
    req.on('end', send);
    req.on('error', send);
    req.resume();
  };
}

function toErrorBody(error: unknown, log: (message: string) => void): { status: number; error: ErrorBody['error'] } {
  if (error instanceof HubShareError) {
    return { status: error.status, error: { code: error.code, message: error.message } };
  }
  // express decodes path parameters before any handler runs and throws URIError on bad
  // percent-encoding (`%ff`, `%`): the request is malformed, not the server.
  if (error instanceof URIError) {
    return { status: 400, error: { code: 'bad_path', message: 'The request\'s path is not valid percent-encoded UTF-8.' } };
  }
  if (isBodyParserError(error)) {
    return {
      status: error.status,
      error: { code: 'bad_request', message: 'The request body is not valid JSON, is too large, or is not compressed as its Content-Encoding says.' }
    };
  }
  log(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return { status: 500, error: { code: 'internal', message: 'Something went wrong on the server; it has been logged.' } };
}

/**
 * An error body-parser hands on: its own carry a `type`; a body that fails to decompress is
 * zlib's error, to which it adds only a 4xx `status` and `expose` (http-errors' mark).
 */
function isBodyParserError(error: unknown): error is { status: number } {
  return (
    typeof error === 'object' &&
    error !== null &&
    ('type' in error || ('expose' in error && error.expose === true)) &&
    'status' in error &&
    typeof error.status === 'number' &&
    error.status >= 400 &&
    error.status < 500
  );
}
