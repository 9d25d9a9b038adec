import type { Request, Response } from 'express';
import { HubShareError } from '../shared/errors';
import type { GitProgress } from './git/git-runner';

/** The media type of a progress stream: one JSON object per line. */
export const NDJSON = 'application/x-ndjson';

/** A line of a progress stream. */
export type ProgressLine =
  | { type: 'progress'; stage: string; percent: number }
  | { type: 'result'; status: number; body: unknown }
  | { type: 'error'; status: number; error: { code: string; message: string } };

/**
 * Runs a long operation. A client that accepts NDJSON gets its progress as it happens and then one
 * `result` (or `error`) line; any other client gets the plain JSON answer when it is done.
 */
export async function answerWithProgress(
  req: Request,
  res: Response,
  log: (message: string) => void,
  run: (onProgress: ((event: GitProgress) => void) | undefined) => Promise<{ status: number; body: unknown }>
): Promise<void> {
  if (!(req.get('accept') ?? '').includes(NDJSON)) {
    const { status, body } = await run(undefined);
    res.status(status).json(body);
    return;
  }
  res.status(200).type(NDJSON).set('Cache-Control', 'no-store').set('X-Accel-Buffering', 'no');
  res.flushHeaders();
  const send = (line: ProgressLine) => res.write(`${JSON.stringify(line)}\n`);
  let last = '';
  try {
    const { status, body } = await run(event => {
      const key = `${event.stage}:${event.percent}`;
      if (key !== last) {
        last = key;
        send({ type: 'progress', stage: event.stage, percent: event.percent });
      }
    });
    send({ type: 'result', status, body });
  } catch (error) {
    if (error instanceof HubShareError) {
      send({ type: 'error', status: error.status, error: { code: error.code, message: error.message } });
    } else {
      log(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      send({ type: 'error', status: 500, error: { code: 'internal', message: 'Something went wrong; it has been logged.' } });
    }
  }
  res.end();
}
