/** An edit step turning one sequence into another. */
type Step = { op: 'same'; a: number; b: number } | { op: 'delete'; a: number } | { op: 'insert'; b: number };

/** Past this many compared pairs, a changed block is shown whole instead of diffed (memory). */
const MAX_COMPARISONS = 4_000_000;

/**
 * The shortest edit script from `a` to `b` by longest common subsequence; a common prefix and
 * suffix are matched first, so two versions of a long file with a few edits stay cheap.
 */
function editScript<T>(a: readonly T[], b: readonly T[], equal: (x: T, y: T) => boolean): Step[] {
  let start = 0;
  while (start < a.length && start < b.length && equal(a[start], b[start])) {
    start++;
  }
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && equal(a[endA - 1], b[endB - 1])) {
    endA--;
    endB--;
  }
  const head: Step[] = Array.from({ length: start }, (_, i) => ({ op: 'same', a: i, b: i }));
  const tail: Step[] = Array.from({ length: a.length - endA }, (_, i) => ({ op: 'same', a: endA + i, b: endB + i }));
  const n = endA - start;
  const m = endB - start;
  const middle: Step[] = [];
  if (n * m > MAX_COMPARISONS) {
    for (let i = 0; i < n; i++) middle.push({ op: 'delete', a: start + i });
    for (let j = 0; j < m; j++) middle.push({ op: 'insert', b: start + j });
    return [...head, ...middle, ...tail];
  }
  // lengths[i][j]: the longest common subsequence of a[start+i..endA) and b[start+j..endB).
  const lengths = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i][j] = equal(a[start + i], b[start + j]) ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && equal(a[start + i], b[start + j])) {
      middle.push({ op: 'same', a: start + i++, b: start + j++ });
    } else if (j < m && (i === n || lengths[i][j + 1] >= lengths[i + 1][j])) {
      middle.push({ op: 'insert', b: start + j++ });
    } else {
      middle.push({ op: 'delete', a: start + i++ });
    }
  }
  return [...head, ...middle, ...tail];
}

/** One row of a side-by-side comparison: what mine and theirs have at that place. */
export interface Aligned<T> {
  change: 'same' | 'changed' | 'mine-only' | 'theirs-only';
  mine?: { index: number; value: T };
  theirs?: { index: number; value: T };
}

/**
 * Mine and theirs side by side: equal items on one row; a run of removals and additions paired
 * up row by row as changed, the rest of the longer side alone on its rows.
 */
export function align<T>(mine: readonly T[], theirs: readonly T[], equal: (x: T, y: T) => boolean = Object.is): Aligned<T>[] {
  const rows: Aligned<T>[] = [];
  let deleted: number[] = [];
  let inserted: number[] = [];
  const flush = () => {
    for (let k = 0; k < Math.max(deleted.length, inserted.length); k++) {
      const a = deleted[k];
      const b = inserted[k];
      rows.push({
        change: a === undefined ? 'theirs-only' : b === undefined ? 'mine-only' : 'changed',
        mine: a === undefined ? undefined : { index: a, value: mine[a] },
        theirs: b === undefined ? undefined : { index: b, value: theirs[b] }
      });
    }
    deleted = [];
    inserted = [];
  };
  for (const step of editScript(mine, theirs, equal)) {
    if (step.op === 'same') {
      flush();
      rows.push({ change: 'same', mine: { index: step.a, value: mine[step.a] }, theirs: { index: step.b, value: theirs[step.b] } });
    } else if (step.op === 'delete') {
      deleted.push(step.a);
    } else {
      inserted.push(step.b);
    }
  }
  flush();
  return rows;
}

/** The lines of a text, without their line ends; a final line end adds no empty line. */
export function linesOf(text: string): string[] {
  if (text === '') {
    return [];
  }
  const lines = text.split(/\r\n|\n|\r/);
  if (lines[lines.length - 1] === '') {
    lines.pop();
  }
  return lines;
}

/** A line diff of two texts, side by side. */
export function lineDiff(mine: string, theirs: string): Aligned<string>[] {
  return align(linesOf(mine), linesOf(theirs));
}
