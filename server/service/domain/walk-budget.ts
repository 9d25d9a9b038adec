import { HubShareError } from '../../shared/errors';

/** How many entries one answer may visit between two yields to the event loop. */
const YIELD_EVERY = 1000;

/**
 * A bound on one walk over git's objects. A push of a few objects can describe millions of paths
 * (trees that repeat one sub-tree), so every walk that follows trees or commits counts what it
 * visits against a number and a deadline, and now and then lets the event loop serve other
 * requests (cached objects resolve without I/O, so a walk would otherwise never give way).
 */
export class WalkBudget {
  private visited = 0;
  private sinceYield = 0;
  private readonly deadline: number;

  constructor(
    private readonly limits: { entries: number; ms: number },
    /** Says what was too large, for the answer: e.g. "This change". */
    private readonly what: string
  ) {
    this.deadline = Date.now() + limits.ms;
  }

  /**
   * Counts `count` more visited entries.
   * @throws HubShareError 422 `too_large_to_show` once the walk is over its number or its time.
   */
  async visit(count = 1): Promise<void> {
    this.visited += count;
    this.sinceYield += count;
    if (this.visited > this.limits.entries || Date.now() > this.deadline) {
      throw new HubShareError(
        422,
        'too_large_to_show',
        `${this.what} is too large to show here (more than ${this.limits.entries.toLocaleString('en')} entries, or more than ${this.limits.ms / 1000} s of work). Check the project out to see it.`
      );
    }
    if (this.sinceYield >= YIELD_EVERY) {
      this.sinceYield = 0;
      await new Promise(resolve => setImmediate(resolve));
    }
  }
}
