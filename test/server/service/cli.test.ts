import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../http-harness';
import { runCli as run } from './cli-harness';

describe('hubshare-service user and token commands', () => {
  let dir: ReturnType<typeof temporaryDirectory>;
  beforeEach(() => {
    dir = temporaryDirectory();
  });
  afterEach(() => dir.remove());

  it('adds a user, refuses a duplicate unless --exist-ok, and refuses an invalid name', async () => {
    expect(await run(dir.path, 'user', 'add', 'alice')).toMatchObject({ code: 0, err: 'Added user alice.' });
    expect(await run(dir.path, 'user', 'add', 'alice')).toMatchObject({
      code: 1,
      err: 'hubshare-service: A user named "alice" already exists.'
    });
    expect((await run(dir.path, 'user', 'add', 'alice', '--exist-ok')).code).toBe(0);
    const invalid = await run(dir.path, 'user', 'add', '../etc');
    expect(invalid.code).toBe(1);
    expect(invalid.err).toContain('is not a valid user name');
  });

  it('prints a new token once on stdout, lists tokens without their values, and revokes one', async () => {
    await run(dir.path, 'user', 'add', 'alice');
    const created = await run(dir.path, 'token', 'create', 'alice', '--note', 'laptop');
    expect(created.code).toBe(0);
    expect(created.out).toMatch(/^hs_[A-Za-z0-9_-]{43}$/);
    const listed = await run(dir.path, 'token', 'list', 'alice');
    expect(listed.out).toContain('laptop');
    expect(listed.out).not.toContain(created.out);
    const id = listed.out.split('\t')[0];
    expect((await run(dir.path, 'token', 'revoke', 'alice', id)).code).toBe(0);
    expect((await run(dir.path, 'token', 'list', 'alice')).out).toBe('');
    expect(await run(dir.path, 'token', 'revoke', 'alice', id)).toMatchObject({ code: 1 });
  });

  it('prints the id with the token as JSON for scripts that revoke it later', async () => {
    await run(dir.path, 'user', 'add', 'alice');
    const created = JSON.parse((await run(dir.path, 'token', 'create', 'alice', '--json')).out) as { id: string; token: string };
    expect(created.token).toMatch(/^hs_/);
    expect((await run(dir.path, 'token', 'list', 'alice')).out.split('\t')[0]).toBe(created.id);
  });

  it('refuses tokens for users that do not exist', async () => {
    const result = await run(dir.path, 'token', 'create', 'nobody');
    expect(result).toMatchObject({ code: 1, out: '' });
    expect(result.err).toContain('There is no user named "nobody"');
  });

  it('answers usage errors with exit code 2', async () => {
    expect((await run(dir.path, 'frobnicate')).code).toBe(2);
    expect((await run(dir.path, 'user', 'add')).code).toBe(2);
    expect((await run(dir.path, 'user', 'add', 'alice', '--bogus-flag')).code).toBe(2);
  });
});

describe('the hubshare-service executable', () => {
  const bin = join(__dirname, '..', '..', '..', 'bin', 'hubshare-service.cjs');

  it('serves /health on the port it was given, from the data dir it was given', async () => {
    expect(existsSync(join(__dirname, '..', '..', '..', 'jupyterlab_hubshare', 'node', 'service.cjs')), 'run `npm run build` first').toBe(true);
    const dir = temporaryDirectory();
    const child = spawn(process.execPath, [bin, 'serve', '--data-dir', dir.path, '--host', '127.0.0.1', '--port', '0'], {
      stdio: ['ignore', 'ignore', 'pipe']
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let seen = '';
        child.stderr.on('data', (chunk: Buffer) => {
          seen += chunk.toString();
          const match = /listening on (http:\/\/\S+)/.exec(seen);
          if (match) {
            resolve(match[1]);
          }
        });
        child.on('exit', code => reject(new Error(`exited with ${code}: ${seen}`)));
      });
      const response = await fetch(`${url}/health`);
      expect(await response.json()).toMatchObject({ status: 'ok', database: 'sqlite' });
      expect(existsSync(join(dir.path, 'hubshare.sqlite3'))).toBe(true);
    } finally {
      child.kill('SIGTERM');
      await new Promise(resolve => child.once('exit', resolve));
      dir.remove();
    }
  });
});

describe('stopping the service with SIGTERM', () => {
  const bin = join(__dirname, '..', '..', '..', 'bin', 'hubshare-service.cjs');

  it('stops accepting, lets a request in flight finish, then exits 0', async () => {
    const dir = temporaryDirectory();
    const child = spawn(process.execPath, [bin, 'serve', '--data-dir', dir.path, '--port', '0'], {
      stdio: ['ignore', 'ignore', 'pipe']
    });
    let stderr = '';
    const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          const match = /listening on (http:\/\/\S+)/.exec(stderr);
          if (match) {
            resolve(match[1]);
          }
        });
        void exited.then(code => reject(new Error(`exited with ${code}: ${stderr}`)));
      });
      // A request whose body we are still sending when the signal arrives.
      let finishBody: () => void = () => {};
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"name": '));
          finishBody = () => {
            controller.enqueue(new TextEncoder().encode('"late"}'));
            controller.close();
          };
        }
      });
      const inFlight = fetch(`${url}/api/v1/projects`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: 'token hs_none' },
        body,
        duplex: 'half'
      } as RequestInit & { duplex: 'half' });
      await new Promise(resolve => setTimeout(resolve, 200));
      child.kill('SIGTERM');
      await new Promise(resolve => setTimeout(resolve, 200));
      await expect(fetch(`${url}/health`)).rejects.toThrow();
      finishBody();
      expect((await inFlight).status).toBe(401);
      expect(await exited).toBe(0);
      expect(stderr).toContain('SIGTERM received');
    } finally {
      child.kill('SIGKILL');
      dir.remove();
    }
  });
});
