import { spawn } from 'node:child_process';
import express from 'express';
import { listen, type Listening } from '../../http-harness';

/**
 * "The internet" for clone tests: a plain git smart-HTTP server on loopback (git's own
 * http-backend, no authentication) serving the bare repositories under `root`.
 */
export async function serveRepositories(root: string): Promise<Listening> {
  const app = express();
  app.use((req, res) => {
    const url = new URL(req.originalUrl, 'http://x');
    const child = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH,
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        REQUEST_METHOD: req.method,
        CONTENT_TYPE: req.get('content-type') ?? '',
        HTTP_CONTENT_ENCODING: req.get('content-encoding') ?? '',
        GIT_PROTOCOL: req.get('git-protocol') ?? ''
      }
    });
    req.pipe(child.stdin);
    let buffer = Buffer.alloc(0);
    let started = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (started) {
        res.write(chunk);
        return;
      }
      buffer = Buffer.concat([buffer, chunk]);
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) {
        return;
      }
      started = true;
      for (const line of buffer.subarray(0, end).toString('latin1').split('\r\n')) {
        const [name, ...rest] = line.split(':');
        const value = rest.join(':').trim();
        if (name.toLowerCase() === 'status') {
          res.status(Number.parseInt(value, 10));
        } else {
          res.setHeader(name, value);
        }
      }
      res.write(buffer.subarray(end + 4));
    });
    child.on('close', () => res.end());
  });
  return listen(app);
}
