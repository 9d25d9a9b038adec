import { describe, expect, it } from 'vitest';
import { badgeOf, canPush, type CheckoutStatus } from '../../../src/model/checkout-status';

function status(state: CheckoutStatus['state']): CheckoutStatus {
  return { root: 'survey', project: 'alice/survey', state, changed: [], behind: 0, ahead: 0, conflicts: [], lastChange: null };
}

describe('badgeOf', () => {
  it.each([
    ['clean', 'up-to-date'],
    ['local-changes', 'my-changes'],
    ['ahead', 'my-changes'],
    ['behind', 'updates-available'],
    ['diverged', 'both'],
    ['no-access', 'no-access']
  ] as const)('shows a %s checkout as %s', (state, badge) => {
    expect(badgeOf({ path: 'survey', source: 'project', conflicted: false }, status(state))).toBe(badge);
  });

  it('shows conflicts from the quick listing, whatever an older full status said', () => {
    expect(badgeOf({ path: 'survey', source: 'project', conflicted: true }, status('clean'))).toBe('conflicts');
    expect(badgeOf({ path: 'survey', source: 'project', conflicted: true }, undefined)).toBe('conflicts');
  });

  it('does not guess before a full status has been read, nor from a conflict the listing says is over', () => {
    expect(badgeOf({ path: 'survey', source: 'project', conflicted: false }, undefined)).toBe('unknown');
    expect(badgeOf({ path: 'survey', source: 'project', conflicted: false }, status('conflicted'))).toBe('unknown');
  });
});

describe('canPush', () => {
  it('offers Push on a project checkout, not on a clone from a URL nor after access is gone', () => {
    expect(canPush({ path: 'survey', source: 'project', conflicted: false }, status('clean'))).toBe(true);
    expect(canPush({ path: 'survey', source: 'project', conflicted: false }, undefined)).toBe(true);
    expect(canPush({ path: 'survey', source: 'url', conflicted: false }, status('clean'))).toBe(false);
    expect(canPush({ path: 'survey', source: 'project', conflicted: false }, status('no-access'))).toBe(false);
  });
});
