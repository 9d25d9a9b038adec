/**
 * Runs `insert` on `rows` a slice of `size` at a time: how the scale tests, the benches and the
 * UI tests' seed write thousands of rows straight into the store, within both engines' bounds on
 * a statement's parameters.
 */
export async function inBatches<T>(rows: readonly T[], insert: (batch: T[]) => Promise<unknown>, size = 500): Promise<void> {
  for (let start = 0; start < rows.length; start += size) {
    await insert(rows.slice(start, start + size));
  }
}
