import { Time } from '@jupyterlab/coreutils';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';
import type { CheckoutStatus, StatusBadge } from '../model/checkout-status';

/** The words of each badge, and what they mean for a person who does not know git. */
function wordsOf(badge: Exclude<StatusBadge, 'unknown'>, trans: TranslationBundle): { label: string; title: string } {
  switch (badge) {
    case 'up-to-date':
      return { label: trans.__('Up to date'), title: trans.__('Nothing to push or pull.') };
    case 'my-changes':
      return { label: trans.__('My changes'), title: trans.__('You changed files here: push to share them.') };
    case 'updates-available':
      return { label: trans.__('Updates available'), title: trans.__('Others pushed changes: pull to get them.') };
    case 'both':
      return { label: trans.__('My changes and updates'), title: trans.__('You and others both changed files: pull, then push.') };
    case 'conflicts':
      return { label: trans.__('Conflicts'), title: trans.__('A pull is waiting for you to pick mine or theirs for some files.') };
    case 'no-access':
      return {
        label: trans.__('No access'),
        title: trans.__('The project is gone, or you no longer have access to it. The files here stay yours; nothing can be pulled or pushed.')
      };
  }
}

/** A checkout's status in a word or two; nothing while it is not known yet. */
export function StatusBadgeView({ badge, trans }: { badge: StatusBadge; trans: TranslationBundle }): JSX.Element | null {
  if (badge === 'unknown') {
    return null;
  }
  const { label, title } = wordsOf(badge, trans);
  return (
    <span className={`jp-HubShare-badge jp-mod-${badge}`} title={title} data-badge={badge}>
      {label}
    </span>
  );
}

/** Who changed the project last and when, e.g. "Last change by bob, 5 minutes ago". */
export function LastChangeView({ lastChange, trans }: { lastChange: CheckoutStatus['lastChange']; trans: TranslationBundle }): JSX.Element | null {
  if (lastChange === null) {
    return null;
  }
  return (
    <span className="jp-HubShare-rowDetail" title={Time.format(lastChange.at)}>
      {trans.__('Last change by %1, %2', lastChange.by, Time.formatHuman(lastChange.at))}
    </span>
  );
}
