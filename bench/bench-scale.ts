// The size the benchmarks run at: full by default (`npm run bench`), or small for CI's smoke
// run (HUBSHARE_BENCH_SCALE=small), which proves they still run and prints their figures, with
// no timing asserted.
export const SMALL = process.env.HUBSHARE_BENCH_SCALE === 'small';

/** `full`, or `small` in the smoke run. */
export function sized<T>(full: T, small: T): T {
  return SMALL ? small : full;
}

if (SMALL) {
  console.log('benchmarks at the small smoke size (HUBSHARE_BENCH_SCALE=small): figures are not comparable with a full run');
}
