import { describe, expect, it } from 'vitest';
import type { ProjectSummary } from '../../../src/model/agent-status';
import { mergeFirstPage, type PagedProjects, ProjectLists, shownProjects, WHOLE_LIST } from '../../../src/model/project-lists';
import { PagedProjectsService, project, projectsOf } from './paged-projects';

const names = (projects: readonly ProjectSummary[]) => projects.map(p => p.name);
const read = (projects: ProjectSummary[], next: string | null): PagedProjects => ({ projects, next, started: true, loading: false, problem: null });
const bob = (...projectNames: string[]) => projectNames.map(name => project('bob', name));

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) {
    await new Promise(resolve => setTimeout(resolve, 1));
  }
}

describe('mergeFirstPage', () => {
  it('keeps what was read after the fresh first page, joined at its last project read before', () => {
    const merged = mergeFirstPage(read(bob('a', 'b', 'c', 'd', 'e'), 'after-e'), { projects: bob('a', 'a2', 'b', 'c'), next: 'after-c' });
    expect(names(merged.projects)).toEqual(['a', 'a2', 'b', 'c', 'd', 'e']);
    expect(merged).toMatchObject({ next: 'after-e', continued: true });
  });

  it('drops a project gone from the fresh page', () => {
    const merged = mergeFirstPage(read(bob('a', 'b', 'c', 'd'), 'after-d'), { projects: bob('a', 'c'), next: 'after-c' });
    expect(names(merged.projects)).toEqual(['a', 'c', 'd']);
  });

  it('is the fresh page alone once the list fits in one page', () => {
    const merged = mergeFirstPage(read(bob('a', 'b', 'c', 'd'), 'after-d'), { projects: bob('a', 'b'), next: null });
    expect(merged).toEqual({ projects: bob('a', 'b'), next: null, continued: false });
  });

  it('starts afresh when nothing of the fresh page was read before', () => {
    const merged = mergeFirstPage(read(bob('a', 'b'), 'after-b'), { projects: bob('x', 'y'), next: 'after-y' });
    expect(merged).toEqual({ projects: bob('x', 'y'), next: 'after-y', continued: false });
  });

  it('follows the fresh page’s cursor when what was read ended where the list now goes on', () => {
    const merged = mergeFirstPage(read(bob('a', 'b'), null), { projects: bob('a', 'b'), next: 'after-b' });
    expect(merged).toEqual({ projects: bob('a', 'b'), next: 'after-b', continued: false });
  });
});

/** alice's lists over the service, three projects a page; counts the changes told. */
function listsOver(service: PagedProjectsService, filterDelay = 0) {
  let changes = 0;
  const lists = new ProjectLists(service.read, () => (changes += 1), { pageSize: 3, filterDelay });
  return { lists, changes: () => changes };
}

describe('ProjectLists', () => {
  it('reads the first page of each section, then the next page of a section when asked, appended in order', async () => {
    const service = new PagedProjectsService([...projectsOf('alice', 2), ...projectsOf('bob', 8)]);
    const { lists, changes } = listsOver(service);
    await lists.refresh('alice');
    expect(service.takeRequests().sort()).toEqual(['mine -', 'shared -']);
    expect(names(lists.listed.mine)).toEqual(['project-0000', 'project-0001']);
    expect(lists.listed.progress.mine.next).toBeNull();
    expect(names(lists.listed.sharedWithMe)).toEqual(['project-0000', 'project-0001', 'project-0002']);
    expect(lists.listed.progress.sharedWithMe.next).not.toBeNull();

    await lists.loadMore('sharedWithMe');
    expect(service.takeRequests()).toEqual(['shared project-0002']);
    expect(names(lists.listed.sharedWithMe)).toEqual(names(projectsOf('bob', 6)));
    expect(changes()).toBe(2); // asked for, then arrived
    await lists.loadMore('sharedWithMe');
    await lists.loadMore('sharedWithMe');
    expect(names(lists.listed.sharedWithMe)).toEqual(names(projectsOf('bob', 8)));
    expect(lists.listed.progress.sharedWithMe.next).toBeNull();
    service.takeRequests();
    await lists.loadMore('sharedWithMe');
    await lists.loadMore('mine');
    expect(service.takeRequests()).toEqual([]);
  });

  it('asks for one page at a time: a second ask while one is read is no new request', async () => {
    const service = new PagedProjectsService(projectsOf('bob', 9));
    const { lists } = listsOver(service);
    await lists.refresh('alice');
    service.takeRequests();
    await Promise.all([lists.loadMore('sharedWithMe'), lists.loadMore('sharedWithMe')]);
    expect(service.takeRequests()).toEqual(['shared project-0002']);
  });

  it('on refresh re-reads only the first pages, keeping the pages read after them in place', async () => {
    const service = new PagedProjectsService(projectsOf('bob', 12));
    const { lists } = listsOver(service);
    await lists.refresh('alice');
    await lists.loadMore('sharedWithMe');
    await lists.loadMore('sharedWithMe');
    service.takeRequests();
    // Meanwhile one project is created at the top and one on the first page is deleted.
    service.projects = [project('bob', 'aardvark'), ...service.projects.filter(p => p.name !== 'project-0001')];

    await lists.refresh('alice');
    expect(service.takeRequests().sort()).toEqual(['mine -', 'shared -']);
    expect(names(lists.listed.sharedWithMe)).toEqual(['aardvark', ...names(projectsOf('bob', 9)).filter(name => name !== 'project-0001')]);
    // Reading on continues after the last project read, not after the fresh first page.
    await lists.loadMore('sharedWithMe');
    expect(service.takeRequests()).toEqual(['shared project-0008']);
    expect(names(lists.listed.sharedWithMe).slice(-3)).toEqual(['project-0009', 'project-0010', 'project-0011']);
  });

  it('drops a next page asked for before a refresh started the list afresh', async () => {
    const service = new PagedProjectsService(projectsOf('bob', 6, 'p'));
    const { lists } = listsOver(service);
    await lists.refresh('alice');
    let release: () => void = () => undefined;
    service.nextPageGate = new Promise<void>(resolve => (release = resolve));
    const nextPage = lists.loadMore('sharedWithMe');
    // Meanwhile everything read is deleted, and projects are created before and after it.
    service.projects = [...projectsOf('bob', 3, 'a'), project('bob', 'm'), ...projectsOf('bob', 3, 'q')];
    await lists.refresh('alice');
    release();
    await nextPage;
    expect(names(lists.listed.sharedWithMe)).toEqual(['a-0000', 'a-0001', 'a-0002']);
    await lists.loadMore('sharedWithMe');
    expect(names(lists.listed.sharedWithMe)).toEqual(['a-0000', 'a-0001', 'a-0002', 'm', 'q-0000', 'q-0001']);
  });

  it('keeps what was read and says why when a page cannot be read; trying again reads it', async () => {
    const service = new PagedProjectsService(projectsOf('bob', 9));
    const { lists } = listsOver(service);
    await lists.refresh('alice');
    service.failing = new Error('The HubShare service stopped answering.');
    await lists.loadMore('sharedWithMe');
    expect(names(lists.listed.sharedWithMe)).toEqual(names(projectsOf('bob', 3)));
    expect(lists.listed.progress.sharedWithMe).toMatchObject({ loading: false, problem: 'The HubShare service stopped answering.' });

    service.failing = null;
    await lists.loadMore('sharedWithMe');
    expect(names(lists.listed.sharedWithMe)).toEqual(names(projectsOf('bob', 6)));
    expect(lists.listed.progress.sharedWithMe.problem).toBeNull();
  });

  it('throws when a first page cannot be read again, keeping what was read', async () => {
    const service = new PagedProjectsService(projectsOf('bob', 9));
    const { lists } = listsOver(service);
    await lists.refresh('alice');
    await lists.loadMore('sharedWithMe');
    service.failing = new Error('down');
    await expect(lists.refresh('alice')).rejects.toThrow('down');
    expect(lists.listed.sharedWithMe).toHaveLength(6);
  });

  it('starts afresh for another user', async () => {
    const service = new PagedProjectsService(projectsOf('bob', 9));
    const { lists } = listsOver(service);
    await lists.refresh('alice');
    await lists.loadMore('sharedWithMe');
    expect(lists.listed.sharedWithMe).toHaveLength(6);
    await lists.refresh('carol');
    expect(lists.listed.sharedWithMe).toHaveLength(3);
  });

  it('searches a section longer than what has been read on the service, and filters one read to its end where it is', async () => {
    const service = new PagedProjectsService([...projectsOf('alice', 2), ...projectsOf('bob', 10)]);
    const { lists } = listsOver(service);
    await lists.refresh('alice');
    service.takeRequests();
    await lists.filter('0007');
    expect(service.takeRequests()).toEqual(['shared - 0007']);
    expect(lists.listed.progress.mine.matching).toBeNull();
    expect(lists.listed.progress.sharedWithMe.matching).toMatchObject({ query: '0007', started: true, next: null });
    expect(names(lists.listed.progress.sharedWithMe.matching?.projects ?? [])).toEqual(['project-0007']);

    await lists.filter('');
    expect(lists.listed.progress.sharedWithMe.matching).toBeNull();
    expect(service.takeRequests()).toEqual([]);
  });

  it('asks once typing pauses, for the last text only, and shows what was read filtered meanwhile', async () => {
    const service = new PagedProjectsService(projectsOf('bob', 10));
    const { lists } = listsOver(service, 30);
    await lists.refresh('alice');
    service.takeRequests();
    void lists.filter('p');
    void lists.filter('pr');
    const searched = lists.filter('project-0009');
    const pending = shownProjects(lists.listed.sharedWithMe, lists.listed.progress.sharedWithMe, text => text.includes('project-0009'));
    expect(pending).toMatchObject({ projects: [], loading: 'search', more: false });
    await searched;
    expect(service.takeRequests()).toEqual(['shared - project-0009']);
    const found = shownProjects(lists.listed.sharedWithMe, lists.listed.progress.sharedWithMe, () => false);
    expect(found).toMatchObject({ loading: null, more: false });
    expect(names(found.projects)).toEqual(['project-0009']);
  });

  it('reads the filter’s results page by page, and drops the answer of a search whose text has changed', async () => {
    const service = new PagedProjectsService([...projectsOf('bob', 10), ...projectsOf('carol', 10, 'table')]);
    const { lists } = listsOver(service);
    await lists.refresh('alice');
    await lists.filter('project');
    await lists.loadMore('sharedWithMe');
    service.takeRequests();
    expect(names(lists.listed.progress.sharedWithMe.matching?.projects ?? [])).toEqual(names(projectsOf('bob', 6)));

    let release: () => void = () => undefined;
    service.gate = new Promise<void>(resolve => (release = resolve));
    const stale = lists.filter('table-0001');
    await until(() => service.requests.length === 1);
    const current = lists.filter('table-0002');
    await until(() => service.requests.length === 2);
    release();
    service.gate = null;
    await Promise.all([stale, current]);
    expect(lists.listed.progress.sharedWithMe.matching).toMatchObject({ query: 'table-0002' });
    expect(names(lists.listed.progress.sharedWithMe.matching?.projects ?? [])).toEqual(['table-0002']);
  });

  it('says when a search fails, and searches again on Try again', async () => {
    const service = new PagedProjectsService(projectsOf('bob', 10));
    const { lists } = listsOver(service);
    await lists.refresh('alice');
    service.failing = new Error('The HubShare service stopped answering.');
    await lists.filter('0005');
    const failed = shownProjects(lists.listed.sharedWithMe, lists.listed.progress.sharedWithMe, text => text.includes('0005'));
    expect(failed).toMatchObject({ projects: [], loading: null, problem: 'The HubShare service stopped answering.', searching: true });
    service.failing = null;
    service.takeRequests();
    await lists.loadMore('sharedWithMe');
    expect(service.takeRequests()).toEqual(['shared - 0005']);
    expect(names(lists.listed.progress.sharedWithMe.matching?.projects ?? [])).toEqual(['project-0005']);
  });

  it('re-reads the first page of the filter’s results on refresh, and starts a search once a section grows past a page', async () => {
    const service = new PagedProjectsService([...projectsOf('alice', 2), ...projectsOf('bob', 10)]);
    const { lists } = listsOver(service);
    await lists.refresh('alice');
    await lists.filter('0001');
    service.takeRequests();
    service.projects.push(...projectsOf('alice', 5).slice(2));
    await lists.refresh('alice');
    expect(service.takeRequests().sort()).toEqual(['mine -', 'mine - 0001', 'shared -', 'shared - 0001']);
    expect(names(lists.listed.progress.mine.matching?.projects ?? [])).toEqual(['project-0001']);
  });
});

describe('shownProjects', () => {
  const projects = [project('bob', 'survey'), { ...project('bob', 'climate'), description: 'Rainfall survey' }, project('bob', 'notes')];
  const keepsSurvey = (text: string) => text.toLowerCase().includes('survey');

  it('shows every project read without a filter, and whether there is more', () => {
    expect(shownProjects(projects, WHOLE_LIST, null)).toEqual({ projects, more: false, loading: null, problem: null, searching: false });
    const reading = { ...WHOLE_LIST, next: 'after-notes', loading: true };
    expect(shownProjects(projects, reading, null)).toMatchObject({ more: true, loading: 'more' });
  });

  it('keeps projects by owner/name or description where the list is read to its end', () => {
    expect(names(shownProjects(projects, WHOLE_LIST, keepsSurvey).projects)).toEqual(['survey', 'climate']);
  });

  it('shows the service’s results once it has answered a search', () => {
    const matching = { query: 'notes', projects: [project('dana', 'notes')], next: 'after', started: true, loading: false, problem: null };
    expect(shownProjects(projects, { ...WHOLE_LIST, next: 'x', matching }, keepsSurvey)).toMatchObject({ projects: matching.projects, more: true, loading: null });
  });
});
