// @vitest-environment happy-dom
import { nullTranslator } from '@jupyterlab/translation';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import * as React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProjectsView } from '../../../src/components/projects-panel';
import { VirtualList, type VirtualRowProps } from '../../../src/components/virtual-list';

import { manyProjects } from './many-projects';

vi.mock('@jupyterlab/ui-components', () => import('./ui-components-stub'));

const trans = nullTranslator.load('jupyterlab_hubshare');

afterEach(cleanup);

describe('long lists in the Projects panel', () => {
  it('render only the rows in view, each telling its place in the whole list', () => {
    render(<ProjectsView state={manyProjects(1000)} trans={trans} onRefresh={() => undefined} />);
    const list = screen.getByRole('group', { name: 'Shared with me' });
    const rows = within(list).getAllByRole('listitem');
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(40);
    expect(rows[0].getAttribute('aria-setsize')).toBe('1000');
    expect(rows[0].getAttribute('aria-posinset')).toBe('1');
    expect(rows[0].textContent).toContain('bob/project-0000');
  });

  it('show the rows further down once scrolled there', () => {
    render(<ProjectsView state={manyProjects(1000)} trans={trans} onRefresh={() => undefined} />);
    const list = screen.getByRole('group', { name: 'Shared with me' });
    list.scrollTop = 52 * 990;
    fireEvent.scroll(list);
    const rows = within(list).getAllByRole('listitem');
    expect(rows[rows.length - 1].textContent).toContain('bob/project-0999');
    expect(rows.some(row => row.textContent?.includes('bob/project-0000'))).toBe(false);
  });

  it('filter a thousand projects down to the matching ones', async () => {
    const user = userEvent.setup();
    render(<ProjectsView state={manyProjects(1000)} trans={trans} onRefresh={() => undefined} />);
    await user.type(screen.getByRole('textbox', { name: 'Filter projects and checkouts' }), 'project-012');
    const rows = screen.getAllByRole('listitem');
    expect(rows.map(row => row.querySelector('.jp-HubShare-rowName')?.textContent)).toEqual(
      Array.from({ length: 10 }, (_, index) => `bob/project-012${index}`)
    );
  });

  it('render short lists whole, without a scroll area', () => {
    render(<ProjectsView state={manyProjects(5)} trans={trans} onRefresh={() => undefined} />);
    expect(screen.queryByRole('group', { name: 'Shared with me' })).toBeNull();
    expect(screen.getAllByRole('listitem')).toHaveLength(5);
  });

  it('ask for more rows once scrolled within two screens of the end, and a short list at once', () => {
    let asked = 0;
    const Row = ({ text, itemProps }: { text: string } & VirtualRowProps) => <li {...itemProps}>{text}</li>;
    const rows = (count: number) => Array.from({ length: count }, (_, index) => <Row key={index} text={`row ${index}`} />);
    const onNearEnd = () => (asked += 1);
    const { unmount } = render(<VirtualList rows={rows(200)} rowHeight={52} maxHeight={520} label="Long" onNearEnd={onNearEnd} />);
    const list = screen.getByRole('group', { name: 'Long' });
    list.scrollTop = 52 * 150;
    fireEvent.scroll(list);
    expect(asked).toBe(0);
    list.scrollTop = 52 * 171;
    fireEvent.scroll(list);
    expect(asked).toBe(1);
    unmount();
    render(<VirtualList rows={rows(5)} rowHeight={52} maxHeight={520} label="Short" onNearEnd={onNearEnd} />);
    expect(asked).toBe(2);
  });
});
