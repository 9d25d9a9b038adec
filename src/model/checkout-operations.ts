import { sendJSON } from '../request';
import type { ConflictedFile } from './checkout-status';

/** A file both sides changed that merged by itself (text by line, a notebook by cell). */
export interface MergedFile {
  path: string;
  /** Both ran the same cells: the outputs kept are this user's. */
  keptMyOutputs: boolean;
}

/** How a pull ended, as the agent answers it. */
export type PullOutcome =
  | { state: 'up-to-date' }
  | { state: 'updated'; merged?: MergedFile[] }
  | { state: 'conflicted'; conflicts: ConflictedFile[]; merged?: MergedFile[] };

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
