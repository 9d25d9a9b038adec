import type { Request, Response } from 'express';
import { BadRequest, HubShareError } from '../../shared/errors';
import type { GitTransfer } from '../metrics';
import type { GitRunner } from './git-runner';

/** The two git services of the smart HTTP protocol. */
export type GitService = 'git-upload-pack' | 'git-receive-pack';

/**
 * Which git service a request asks for.
 * @throws BadRequest for the dumb protocol or anything else (HubShare speaks smart HTTP only).
 */
export function gitServiceOf(req: Request, endpoint: 'info/refs' | GitService): GitService {
  const service = endpoint === 'info/refs' ? req.query.service : endpoint;
  if (service === 'git-upload-pack' || service === 'git-receive-pack') {
    return service;
  }
  throw new BadRequest('HubShare speaks git\'s smart HTTP protocol only; use git 1.6.6 or newer.', 'dumb_http');
}

/** Splits a CGI answer's header block into status and headers. */
function parseCgiHeaders(block: string): { status: number; headers: [string, string][] } {
  let status = 200;
  const headers: [string, string][] = [];
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) {
      continue;
    }
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') {
      status = Number.parseInt(value, 10) || 500;
    } else {
      headers.push([name, value]);
    }
  }
  return { status, headers };
}

/**
 * Serves one smart-HTTP request with git's own `git http-backend`: the request body streams into
 * it (cut off past `maxBodyBytes`), its CGI answer streams back. Authorization has been decided
 * before this runs; the repository path is the project's internal id, never user input. Resolves
 * with what went in and out, for metrics.
 */
export function serveGitHttp(
  git: GitRunner,
  req: Request,
  res: Response,
  options: { repositoriesDir: string; projectId: string; endpoint: 'info/refs' | GitService; userName: string; maxBodyBytes: number; log: (m: string) => void }
): Promise<GitTransfer> {
  const service = gitServiceOf(req, options.endpoint);
  const cgi: Record<string, string> = {
    GIT_PROJECT_ROOT: options.repositoriesDir,
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: `/${options.projectId}.git/${options.endpoint}`,
    REQUEST_METHOD: req.method,
    QUERY_STRING: options.endpoint === 'info/refs' ? `service=${service}` : '',
    REMOTE_USER: options.userName,
    REMOTE_ADDR: req.socket.remoteAddress ?? '',
    CONTENT_TYPE: req.get('content-type') ?? ''
  };
  const contentLength = req.get('content-length');
  if (contentLength && /^\d+$/.test(contentLength)) {
    cgi.CONTENT_LENGTH = contentLength;
  }
  const encoding = req.get('content-encoding');
  if (encoding === 'gzip' || encoding === 'x-gzip') {
    cgi.HTTP_CONTENT_ENCODING = encoding;
  }
  const protocol = req.get('git-protocol');
  if (protocol && /^[a-z0-9=:.-]{1,100}$/i.test(protocol)) {
    cgi.GIT_PROTOCOL = protocol;
  }

  return new Promise(resolveTransfer => {
    const child = git.httpBackend(cgi);
    let received = 0;
    let sent = 0;
    let outcome: GitTransfer['outcome'] = 'ok';
    const resolve = () => resolveTransfer({ outcome, receivedBytes: Math.min(received, options.maxBodyBytes), sentBytes: sent });
    let headerBuffer = Buffer.alloc(0);
    let headersDone = false;
    let stderr = '';
    const fail = (error: HubShareError) => {
      if (!res.headersSent) {
        res.status(error.status).json({ error: { code: error.code, message: error.message } });
      } else {
        res.destroy();
      }
    };

    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > options.maxBodyBytes) {
        req.unpipe(child.stdin);
        child.kill('SIGKILL');
        outcome = 'too_large';
        fail(new HubShareError(413, 'too_large', 'This push is larger than the service accepts.'));
      }
    });
    req.pipe(child.stdin);
    child.stdin.on('error', () => {
      // git stops reading when it refuses a request; its answer says why.
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    child.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        sent += chunk.length;
        return;
      }
      headerBuffer = Buffer.concat([headerBuffer, chunk]);
      const text = headerBuffer.toString('latin1');
      const end = text.search(/\r?\n\r?\n/);
      if (end < 0) {
        return;
      }
      headersDone = true;
      const separator = text.slice(end).startsWith('\r\n\r\n') ? 4 : text.slice(end).startsWith('\n\n') ? 2 : 3;
      const { status, headers } = parseCgiHeaders(text.slice(0, end));
      res.status(status);
      for (const [name, value] of headers) {
        res.setHeader(name, value);
      }
      res.setHeader('Cache-Control', 'no-cache, max-age=0, must-revalidate');
      const rest = headerBuffer.subarray(Buffer.byteLength(text.slice(0, end), 'latin1') + separator);
      if (rest.length > 0) {
        sent += rest.length;
        res.write(rest);
      }
      child.stdout.pipe(res);
    });
    child.on('error', error => {
      options.log(`git http-backend could not start: ${error.message}`);
      outcome = 'failed';
      fail(new HubShareError(500, 'git_failed', 'The git service failed; it has been logged.'));
      resolve();
    });
    child.on('close', code => {
      if (code !== 0 && stderr) {
        options.log(`git http-backend exited ${code}: ${stderr.trim()}`);
      }
      if (code !== 0 && outcome === 'ok') {
        outcome = 'failed';
      }
      if (!headersDone) {
        fail(new HubShareError(500, 'git_failed', 'The git service failed; it has been logged.'));
      } else if (!res.writableEnded) {
        res.end();
      }
      resolve();
    });
  });
}
