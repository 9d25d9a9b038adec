import type { Express } from 'express';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real HTTP server on a random loopback port, for one test. */
export interface Listening {
  url: string;
  close(): Promise<void>;
}

/** Starts `app` on 127.0.0.1 with a port the OS picks. */
export async function listen(app: Express): Promise<Listening> {
  const server = await new Promise<Server>((resolve, reject) => {
    const started = app.listen(0, '127.0.0.1', error => (error ? reject(error) : resolve(started)));
  });
  const address = server.address();
  if (typeof address !== 'object' || address === null) {
    throw new Error('the test server has no TCP address');
  }
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      })
  };
}

/** A fresh temporary directory, removed by the returned function. */
export function temporaryDirectory(prefix = 'hubshare-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** The `error.code` of a JSON error answer. */
export async function errorCodeOf(response: Response): Promise<string> {
  const body = (await response.json()) as { error?: { code?: string } };
  return body.error?.code ?? `(no error code; status ${response.status})`;
}

/**
 * A GET sent exactly as written: fetch resolves `%2E%2E` and `..` before sending, an attacker's
 * client does not.
 */
export function rawGet(base: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(base);
    const request = httpRequest({ host: url.hostname, port: url.port, path, headers }, response => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });
}
