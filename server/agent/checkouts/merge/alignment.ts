// Matching the cells of two versions of a notebook that has no cell ids (nbformat 4.0–4.4), in
// the spirit of nbdime: cells whose type and source are equal are matched along a longest common
// subsequence; between two matches, a run of the same length on both sides is the same cells
// edited in place; any other run is cells deleted on one side and added on the other.

/** Above this many cell pairs the alignment is not tried (the file waits for a whole-file pick). */
const MAX_PAIRS = 4_000_000;

/**
 * For each cell of `side` (by its signature: type and source), the index of the base cell it is,
 * or undefined for a cell the side added; null when the notebooks are too large to align.
 */
export function alignCells(base: readonly string[], side: readonly string[]): (number | undefined)[] | null {
  const [n, m] = [base.length, side.length];
  if (n * m > MAX_PAIRS) {
    return null;
  }
  // lengths[i][j]: the longest common subsequence of base[i..] and side[j..].
  const lengths = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i][j] = base[i] === side[j] ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
    }
  }
  const pairs: (number | undefined)[] = new Array<number | undefined>(m).fill(undefined);
  const matches: [number, number][] = [];
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (base[i] === side[j]) {
      matches.push([i, j]);
      i += 1;
      j += 1;
    } else if (lengths[i + 1][j] >= lengths[i][j + 1]) {
      i += 1;
    } else {
      j += 1;
    }
  }
  let [previousBase, previousSide] = [-1, -1];
  for (const [i, j] of [...matches, [n, m] as [number, number]]) {
    const gap = i - previousBase - 1;
    if (gap > 0 && gap === j - previousSide - 1) {
      for (let k = 1; k <= gap; k++) {
        pairs[previousSide + k] = previousBase + k;
      }
    }
    if (j < m) {
      pairs[j] = i;
    }
    [previousBase, previousSide] = [i, j];
  }
  return pairs;
}
