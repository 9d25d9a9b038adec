import * as React from 'react';

/** What a row of a VirtualList puts on its `<li>`: its place in the list, and its height. */
export interface VirtualRowProps {
  itemProps?: React.LiHTMLAttributes<HTMLLIElement>;
}

/** Rows above and below the visible ones that are rendered too, so scrolling shows no gaps. */
const OVERSCAN = 8;
/** Within this many rows of the end (two screens of a section), `onNearEnd` asks for more in time. */
const NEAR_END = 20;

/**
 * A list that renders only the rows in view (plus a few), so a thousand projects cost what
 * twenty do. Rows have one fixed height; short lists render whole. The scroll area is focusable
 * (keyboard users scroll it with the arrow keys) and the rows keep their position for screen
 * readers (aria-setsize / aria-posinset). `onNearEnd` is called whenever the view comes within
 * two screens of the last row (a short list: always), so the rows after it can be read in time.
 */
export function VirtualList(props: {
  rows: React.ReactElement<VirtualRowProps>[];
  rowHeight: number;
  maxHeight: number;
  label: string;
  onNearEnd?: () => void;
}): JSX.Element {
  const { rows, rowHeight, maxHeight, onNearEnd } = props;
  const [scrollTop, setScrollTop] = React.useState(0);
  const whole = rows.length * rowHeight <= maxHeight;
  const nearEnd = whole || scrollTop + maxHeight >= (rows.length - NEAR_END) * rowHeight;
  React.useEffect(() => {
    if (nearEnd) {
      onNearEnd?.();
    }
  }, [nearEnd, onNearEnd, rows.length]);
  if (whole) {
    return <ul className="jp-HubShare-list">{rows}</ul>;
  }
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const count = Math.ceil(maxHeight / rowHeight) + 2 * OVERSCAN;
  const visible = rows.slice(first, first + count).map((row, index) =>
    React.cloneElement(row as React.ReactElement<VirtualRowProps>, {
      itemProps: { 'aria-setsize': rows.length, 'aria-posinset': first + index + 1, style: { height: rowHeight } }
    })
  );
  return (
    <div
      className="jp-HubShare-virtualList"
      style={{ maxHeight }}
      tabIndex={0}
      role="group"
      aria-label={props.label}
      onScroll={event => setScrollTop(event.currentTarget.scrollTop)}
    >
      <ul className="jp-HubShare-list" style={{ height: rows.length * rowHeight, paddingTop: first * rowHeight, boxSizing: 'border-box' }}>
        {visible}
      </ul>
    </div>
  );
}
