import type { Request, Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { ServiceUnavailable } from '../shared/errors';

/** Answer headers worth passing on: what the content is, how to cache it, how to sandbox it. */
const PASSED_HEADERS = [
  'content-type',
  'content-length',
  'etag',
  'cache-control',
  'content-security-policy',
  'x-content-type-options',
  'referrer-policy',
  'location'
];

/**
 * Sends the request on to the service (same method; a JSON body as the agent parsed it) with the
 * user's token, and streams its answer (status, the headers above, body) back unchanged: the
 * service's JSON errors reach the frontend as they are.
 * @throws ServiceUnavailable when the service cannot be reached.
 */
export async function forwardToService(
  connection: { url: string; token: string },
  path: string,
  req: Request,
  res: Response
): Promise<void> {
  const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
  let answer: globalThis.Response;
  // The timeout covers waiting for the answer's headers, not streaming a large file afterwards.
  const waiting = new AbortController();
  const timer = setTimeout(() => waiting.abort(), 60_000);
  try {
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && req.body !== undefined;
    answer = await fetch(`${connection.url}${path}${query}`, {
      method: req.method,
      headers: {
        Authorization: `token ${connection.token}`,
        ...(req.get('If-None-Match') ? { 'If-None-Match': req.get('If-None-Match') } : {}),
        ...(hasBody ? { 'Content-Type': 'application/json' } : {})
      },
      body: hasBody ? JSON.stringify(req.body) : undefined,
      redirect: 'manual',
      signal: waiting.signal
    });
  } catch {
    throw new ServiceUnavailable(`The HubShare service at ${connection.url} cannot be reached.`, 'unreachable');
  } finally {
    clearTimeout(timer);
  }
  res.status(answer.status);
  for (const name of PASSED_HEADERS) {
    const value = answer.headers.get(name);
    if (value !== null) {
      res.set(name, value);
    }
  }
  if (!answer.body) {
    res.end();
    return;
  }
  await pipeline(Readable.fromWeb(answer.body as WebReadableStream<Uint8Array>), res).catch(() => {
    // The browser went away, or the service did: nothing more can be said on this response.
    res.destroy();
  });
}
