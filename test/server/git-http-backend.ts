// git's own `git http-backend` behind a minimal CGI front, with no HubShare in the way (no
// accounts, no permissions, no hooks): "the internet" of the clone tests, and the benchmark's
// baseline, the smallest smart-HTTP server there is.
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HttpBackend {
  url: string;
  close(): Promise<void>;
}

export interface HttpBackendOptions {
  /** Take pushes too (git http-backend does for an authenticated user, REMOTE_USER). */
  pushes: boolean;
}

/** Reads the CGI answer's header block, then streams its body to the client. */
function answer(req: IncomingMessage, res: ServerResponse, projectRoot: string, options: HttpBackendOptions): void {
  const url = new URL(req.url ?? '/', 'http://backend');
  const header = (name: string) => {
    const value = req.headers[name];
    return typeof value === 'string' ? value : '';
  };
  const child = spawn('git', ['http-backend'], {
    env: {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: projectRoot,
      GIT_HTTP_EXPORT_ALL: '1',
      ...(options.pushes ? { REMOTE_USER: 'someone' } : {}),
      REMOTE_ADDR: '127.0.0.1',
      REQUEST_METHOD: req.method ?? 'GET',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: header('content-type'),
      ...(header('content-length') ? { CONTENT_LENGTH: header('content-length') } : {}),
      HTTP_CONTENT_ENCODING: header('content-encoding'),
      GIT_PROTOCOL: header('git-protocol')
    }
  });
  req.pipe(child.stdin);
  let head = Buffer.alloc(0);
  let started = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (started) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) {
      return;
    }
    started = true;
    let status = 200;
    for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') {
        status = Number.parseInt(value, 10);
      } else if (name) {
        res.setHeader(name, value);
      }
    }
    res.writeHead(status);
    res.write(head.subarray(end + 4));
  });
  child.on('close', code => {
    if (!started) {
      res.writeHead(500).end(`git http-backend exited ${code}`);
    } else {
      res.end();
    }
  });
}

/** Serves every bare repository under `projectRoot` at `<url>/<name>.git`, on loopback. */
export async function startHttpBackend(projectRoot: string, options: HttpBackendOptions): Promise<HttpBackend> {
  const server = createServer((req, res) => answer(req, res, projectRoot, options));
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      })
  };
}
