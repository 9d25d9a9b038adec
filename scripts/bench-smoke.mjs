// CI's smoke run of the benchmarks: every bench at its small size (HUBSHARE_BENCH_SCALE=small),
// figures printed, no timing asserted. vitest bench exits 0 even when a bench throws (the bench
// just has no figures), so this reads its JSON and fails when any bench, or any file, has none.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'hubshare-bench-smoke-'));
const output = join(dir, 'bench.json');
try {
  const run = spawnSync('npx', ['vitest', 'bench', '--run', '--outputJson', output], {
    stdio: 'inherit',
    env: { ...process.env, HUBSHARE_BENCH_SCALE: 'small' }
  });
  if (run.status !== 0) {
    console.error(`bench smoke: vitest bench exited ${run.status}`);
    process.exit(1);
  }
  const report = JSON.parse(readFileSync(output, 'utf8'));
  const missing = [];
  let ran = 0;
  for (const file of report.files) {
    const benchmarks = file.groups.flatMap(group => group.benchmarks.map(bench => ({ group: group.fullName, bench })));
    if (benchmarks.length === 0) {
      missing.push(`${file.filepath}: no benchmark ran`);
    }
    for (const { group, bench } of benchmarks) {
      if (!(bench.sampleCount > 0)) {
        missing.push(`${group} > ${bench.name}: no figures (it threw, or its setup did)`);
      } else {
        ran += 1;
      }
    }
  }
  if (missing.length > 0) {
    console.error(`bench smoke: ${missing.length} benchmark(s) failed:\n  ${missing.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`bench smoke: ${ran} benchmarks ran in ${report.files.length} files`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
