// @vitest-environment happy-dom
// How long the Projects panel takes to render a thousand projects (only the rows in view are
// mounted), against mounting all thousand rows, the way the panel did before.
import { nullTranslator } from '@jupyterlab/translation';
import { cleanup, render } from '@testing-library/react';
import * as React from 'react';
import { afterEach, bench, describe, vi } from 'vitest';
import { ProjectsView } from '../src/components/projects-panel';
import { manyProjects } from '../test/src/components/many-projects';

vi.mock('@jupyterlab/ui-components', () => import('../test/src/components/ui-components-stub'));

const trans = nullTranslator.load('jupyterlab_hubshare');
const state = manyProjects(1000);
const listing = state.kind === 'connected' ? state.listing : null;

afterEach(cleanup);

describe('render the Projects panel with 1000 projects', () => {
  bench('ProjectsView (rows in view only)', () => {
    render(<ProjectsView state={state} trans={trans} onRefresh={() => undefined} />);
    cleanup();
  });
  bench('baseline: all 1000 rows mounted', () => {
    render(
      <ul>
        {listing?.sharedWithMe.map(project => (
          <li key={project.name} className="jp-HubShare-row">
            <span className="jp-HubShare-rowName">
              {project.owner}/{project.name}
            </span>
            <span className="jp-HubShare-rowDetail">can read · private</span>
            <button type="button">Check out…</button>
            <button type="button">Browse</button>
            <button type="button">History</button>
          </li>
        ))}
      </ul>
    );
    cleanup();
  });
});
