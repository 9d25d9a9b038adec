import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, startTestService, type TestService } from './service-harness';
import { testEngines } from './test-databases';

describe.each(testEngines())('listing teams by pages, on %s', engine => {
  let service: TestService;
  let token = '';
  const names = Array.from({ length: 23 }, (_, index) => `crew-${String(index).padStart(2, '0')}`);

  beforeAll(async () => {
    service = await startTestService(engine);
    token = await service.userWithToken('alice');
    for (const name of [...names].reverse()) {
      expect((await callApi(service, token, 'POST', '/teams', { name })).status).toBe(201);
    }
    expect((await callApi(service, token, 'POST', '/teams', { name: 'other_team' })).status).toBe(201);
  });
  afterAll(() => service?.close());

  const list = async (query: string) => (await (await callApi(service, token, 'GET', `/teams?${query}`)).json()) as { teams: { name: string; memberCount: number }[]; next: string | null };

  it('answers all teams in name order, or pages of them with the cursor of the next', async () => {
    const all = await list('');
    expect(all.teams.map(team => team.name)).toEqual([...names, 'other_team']);
    expect(all.next).toBeNull();
    expect(all.teams[0].memberCount).toBe(1);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(`limit=5${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.teams.length).toBeLessThanOrEqual(5);
      seen.push(...page.teams.map(team => team.name));
      cursor = page.next;
    } while (cursor !== null);
    expect(seen).toEqual([...names, 'other_team']);
  });

  it('filters by a part of the name on the server, LIKE characters taken literally', async () => {
    expect((await list('q=CREW-1')).teams.map(team => team.name)).toEqual(names.filter(name => name.startsWith('crew-1')));
    expect((await list('q=_')).teams.map(team => team.name)).toEqual(['other_team']);
    expect((await list('q=%25')).teams).toEqual([]);
  });

  it('refuses a limit or cursor it cannot use, in words', async () => {
    for (const [query, code] of [
      ['limit=0', 'invalid_limit'],
      ['cursor=nope', 'invalid_cursor'],
      [`cursor=${Buffer.from('["a","b"]').toString('base64url')}`, 'invalid_cursor']
    ]) {
      const answer = await callApi(service, token, 'GET', `/teams?${query}`);
      expect(answer.status, query).toBe(400);
      expect(((await answer.json()) as { error: { code: string } }).error.code).toBe(code);
    }
  });
});
