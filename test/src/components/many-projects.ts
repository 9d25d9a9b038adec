import { type ConnectionState, listingOf, type ProjectSummary } from '../../../src/model/agent-status';

/** alice, who can read `count` projects of bob's. */
export function manyProjects(count: number): ConnectionState {
  const projects: ProjectSummary[] = Array.from({ length: count }, (_, index) => ({
    owner: 'bob',
    name: `project-${String(index).padStart(4, '0')}`,
    description: '',
    visibility: 'private',
    myLevel: 'read',
    updatedAt: '2026-11-01T10:00:00.000Z'
  }));
  return {
    kind: 'connected',
    status: { version: '0.1.0', rootDir: '/home/alice', service: { url: 'http://service', reachable: true, user: { name: 'alice', admin: false }, problem: null } },
    userName: 'alice',
    listing: listingOf([], { mine: [], sharedWithMe: projects })
  };
}
