import { describe, expect, it } from 'vitest';
import { type Grants, type Level, ShareModel, type SharingApi, type TeamDetail, TeamsModel } from '../../../src/model/sharing';
import { HubShareRequestError } from '../../../src/request';

/** An in-memory stand-in for the agent's sharing routes: one project, alice/study, and teams. */
function fakeApi(myLevel: Level = 'admin'): SharingApi & { calls: string[] } {
  const calls: string[] = [];
  const grants: Grants = { users: [{ name: 'bob', level: 'read' }], teams: [] };
  const teams: Record<string, TeamDetail> = {
    analysts: { name: 'analysts', description: '', source: 'hubshare', members: [{ name: 'alice', role: 'maintainer' }] },
    staff: { name: 'staff', description: '', source: 'hub', members: [{ name: 'alice', role: 'member' }] }
  };
  let settings = { owner: 'alice', name: 'study', description: '', visibility: 'private' as const, pages: 'off' as const, myLevel };
  const known = new Set(['alice', 'bob', 'carol']);
  return {
    calls,
    project: async () => settings,
    update: async (_project, changes) => {
      calls.push(`update ${JSON.stringify(changes)}`);
      settings = { ...settings, ...changes } as typeof settings;
      return settings;
    },
    grants: async () => structuredClone(grants),
    grant: async (_project, kind, name, level) => {
      calls.push(`grant ${kind} ${name} ${level}`);
      if (kind === 'users' && !known.has(name)) {
        throw new HubShareRequestError(404, 'no_such_user', `There is no user named "${name}".`);
      }
      const list = grants[kind];
      const existing = list.find(grant => grant.name === name);
      if (existing) {
        existing.level = level;
      } else {
        list.push({ name, level });
      }
    },
    revoke: async (_project, kind, name) => {
      calls.push(`revoke ${kind} ${name}`);
      grants[kind] = grants[kind].filter(grant => grant.name !== name);
    },
    teams: async () => Object.values(teams).map(team => ({ name: team.name, description: '', source: team.source, memberCount: team.members.length })),
    team: async name => structuredClone(teams[name]),
    createTeam: async name => {
      calls.push(`create ${name}`);
      teams[name] = { name, description: '', source: 'hubshare', members: [{ name: 'alice', role: 'maintainer' }] };
    },
    deleteTeam: async name => {
      delete teams[name];
    },
    putMember: async (team, user, role) => {
      calls.push(`member ${team} ${user} ${role}`);
      teams[team].members = [...teams[team].members.filter(member => member.name !== user), { name: user, role }];
    },
    removeMember: async (team, user) => {
      calls.push(`remove ${team} ${user}`);
      teams[team].members = teams[team].members.filter(member => member.name !== user);
    },
    pagesUrl: project => `/user/alice/hubshare/pages/${project}/`
  };
}

describe('ShareModel', () => {
  it('loads the settings, grants and team names, and lets an admin manage them', async () => {
    const model = new ShareModel('alice/study', fakeApi());
    await model.load();
    expect(model.canManage).toBe(true);
    expect(model.grants.users).toEqual([{ name: 'bob', level: 'read' }]);
    expect(model.teams).toEqual(['analysts', 'staff']);

    await model.grant('teams', ' analysts ', 'write');
    await model.grant('users', 'bob', 'admin');
    expect(model.grants).toEqual({ users: [{ name: 'bob', level: 'admin' }], teams: [{ name: 'analysts', level: 'write' }] });
    await model.revoke('users', 'bob');
    expect(model.grants.users).toEqual([]);
    expect(model.pagesUrl).toBeNull();
    await model.update({ pages: 'hub' });
    expect(model.settings?.pages).toBe('hub');
    expect(model.pagesUrl).toBe('/user/alice/hubshare/pages/alice/study/');
    expect(model.busy).toBe(false);
  });

  it('keeps the service\'s refusal in words and changes nothing', async () => {
    const api = fakeApi();
    const model = new ShareModel('alice/study', api);
    await model.load();
    await model.grant('users', 'nobody', 'read');
    expect(model.error).toBe('There is no user named "nobody".');
    expect(model.grants.users).toEqual([{ name: 'bob', level: 'read' }]);
  });

  it('asks for a name instead of sending an empty one', async () => {
    const api = fakeApi();
    const model = new ShareModel('alice/study', api);
    await model.grant('users', '   ', 'read');
    expect(model.error).toMatch(/Type the user name/);
    expect(api.calls).toEqual([]);
  });

  it('shows the list but no controls to someone who only reads the project', async () => {
    const model = new ShareModel('alice/study', fakeApi('read'));
    await model.load();
    expect(model.canManage).toBe(false);
  });
});

describe('TeamsModel', () => {
  it('creates a team, selects it, and manages its members', async () => {
    const api = fakeApi();
    const model = new TeamsModel('alice', api);
    await model.load();
    await model.create('field-team', '');
    expect(model.selected?.name).toBe('field-team');
    expect(model.canManageSelected).toBe(true);
    await model.putMember('bob', 'member');
    await model.putMember('bob', 'maintainer');
    expect(model.selected?.members).toEqual([
      { name: 'alice', role: 'maintainer' },
      { name: 'bob', role: 'maintainer' }
    ]);
    await model.removeMember('bob');
    expect(model.selected?.members.map(member => member.name)).toEqual(['alice']);
    expect(model.teams.find(team => team.name === 'field-team')?.memberCount).toBe(1);
  });

  it('does not offer to manage a JupyterHub group, or a team one is only a member of', async () => {
    const model = new TeamsModel('alice', fakeApi());
    await model.load();
    await model.select('staff');
    expect(model.canManageSelected).toBe(false);
    const bobs = new TeamsModel('bob', fakeApi());
    await bobs.select('analysts');
    expect(bobs.canManageSelected).toBe(false);
  });

  it('lets a hub admin manage every HubShare team, but still not a JupyterHub group', async () => {
    const admin = new TeamsModel('root', fakeApi(), true);
    await admin.select('analysts');
    expect(admin.canManageSelected).toBe(true);
    await admin.select('staff');
    expect(admin.canManageSelected).toBe(false);
  });
});
