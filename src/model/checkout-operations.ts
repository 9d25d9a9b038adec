import { sendJSON } from '../request';
import type { ConflictedFile } from './checkout-status';

/** How a pull ended, as the agent answers it. */
export type PullOutcome =
  | { state: 'up-to-date' | 'updated' }
  | { state: 'conflicted'; conflicts: ConflictedFile[] };

/** The checkout operations the panel starts; injected so views stay free of HTTP. */
export interface CheckoutOperations {
  push(path: string): Promise<{ pushed: boolean }>;
  pull(path: string): Promise<PullOutcome>;
}

const post = <T>(endPoint: string, body: unknown) => sendJSON<T>(endPoint, 'POST', body);

export const checkoutOperations: CheckoutOperations = {
  push: path => post('api/checkouts/push', { path }),
  pull: path => post('api/checkouts/pull', { path })
};
