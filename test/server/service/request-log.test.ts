import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from './service-harness';

describe('the request log', () => {
  let service: TestService;
  beforeEach(async () => {
    service = await startTestService();
  });
  afterEach(() => service.close());

  it('writes one line a request, with the user, and never a token in any form', async () => {
    const token = await service.userWithToken('alice');
    const basic = Buffer.from(`alice:${token}`).toString('base64');
    await fetch(`${service.url}/api/v1/user`, { headers: { Authorization: `token ${token}` } });
    await fetch(`${service.url}/api/v1/user`, { headers: { Authorization: `Basic ${basic}` } });
    await fetch(`${service.url}/api/v1/user?token=${token}&scope=all`, { headers: { Authorization: `Bearer ${token}` } });
    await fetch(`${service.url}/api/v1/user`, { headers: { Authorization: 'token hs_wrong-token-value' } });
    await fetch(`${service.url}/git/alice/nothing.git/info/refs?service=git-upload-pack`, {
      headers: { Authorization: `Basic ${basic}` }
    });

    const lines = service.logs.map(line => JSON.parse(line) as { msg: string; user?: string; res?: { statusCode: number } });
    const requests = lines.filter(line => line.res !== undefined);
    expect(requests.map(line => line.msg)).toEqual([
      'GET /api/v1/user 200',
      'GET /api/v1/user 200',
      'GET /api/v1/user?scope=all 200',
      'GET /api/v1/user 401',
      'GET /git/alice/nothing.git/info/refs?service=git-upload-pack 404'
    ]);
    expect(requests[0].user).toBe('alice');
    const everything = service.logs.join('\n');
    for (const secret of [token, basic, 'hs_wrong-token-value', token.slice(3)]) {
      expect(everything).not.toContain(secret);
    }
  });

  it('logs a protocol-relative path (GET //, GET //x?token=…) as it came and answers 404, not a 500 from the log line', async () => {
    const token = await service.userWithToken('alice');
    const answers = [];
    for (const path of ['//', '///', '//x?token=hs_secret&scope=all', '//alice/study']) {
      // fetch would resolve the path; a raw request line is what a hostile client sends.
      const response = await fetch(`${service.url}${path}`, { headers: { Authorization: `token ${token}` } });
      answers.push([path, response.status, ((await response.json()) as { error: { code: string } }).error.code]);
    }
    expect(answers).toEqual([
      ['//', 404, 'no_such_route'],
      ['///', 404, 'no_such_route'],
      ['//x?token=hs_secret&scope=all', 404, 'no_such_route'],
      ['//alice/study', 404, 'no_such_route']
    ]);
    const messages = service.logs.map(line => (JSON.parse(line) as { msg: string }).msg);
    expect(messages).toEqual(expect.arrayContaining(['GET // 404', 'GET /// 404', 'GET //x?scope=all 404', 'GET //alice/study 404']));
    expect(service.logs.join('\n')).not.toContain('hs_secret');
  });
});
