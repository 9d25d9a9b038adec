import type { IFilterBoxProps } from '@jupyterlab/ui-components';
import * as React from 'react';

/**
 * What HubShare's views use of @jupyterlab/ui-components, without its web components: their
 * design tokens need a browser's full CSSOM, which happy-dom lacks. The views under test are ours;
 * Playwright covers them with the real JupyterLab.
 */
export class ReactWidget {}

const icon = { react: () => null };
export const refreshIcon = icon;

export class LabIcon {
  react = () => null;
}

/** A plain input in place of JupyterLab's filter box, with a case-insensitive substring test. */
export function FilterBox(props: IFilterBoxProps): JSX.Element {
  return (
    <input
      ref={props.inputRef}
      placeholder={props.placeholder}
      onChange={event => {
        const query = event.target.value.toLowerCase();
        props.updateFilter(item => (item.toLowerCase().includes(query) ? {} : null), event.target.value);
      }}
    />
  );
}
