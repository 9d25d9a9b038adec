import type { CheckoutSummary } from './agent-status';
import type { CheckoutStatus } from './checkout-status';

/** The checkout that holds a path (relative to Jupyter's root): the innermost one, or undefined. */
export function checkoutHolding(checkouts: readonly CheckoutSummary[], path: string): CheckoutSummary | undefined {
  return checkouts
    .filter(checkout => checkout.path === '' || path === checkout.path || path.startsWith(`${checkout.path}/`))
    .sort((a, b) => b.path.length - a.path.length)[0];
}

/**
 * The conflicted checkout and file a path in the file browser names, when that file waits for a
 * pick (as the checkout's last status says); otherwise null.
 */
export function conflictAt(
  checkouts: readonly CheckoutSummary[],
  statusOf: (checkout: string) => CheckoutStatus | undefined,
  path: string
): { checkout: string; file: string } | null {
  const checkout = checkoutHolding(checkouts, path);
  if (!checkout?.conflicted || path === checkout.path) {
    return null;
  }
  const file = checkout.path === '' ? path : path.slice(checkout.path.length + 1);
  return statusOf(checkout.path)?.conflicts.some(conflict => conflict.path === file) ? { checkout: checkout.path, file } : null;
}
