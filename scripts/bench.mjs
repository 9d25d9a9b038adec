// `npm run bench`: every benchmark, one table. The vitest benches (bench/*.bench.ts: merge, listing,
// status cadence, browse, panel render) and the end-to-end run of a realistic project through the
// CLI, the agent, plain git via the service and a bare git http-backend (bench/realistic/). Each
// figure is printed beside its ratio to the baseline measured in the same run and the goal for
// that ratio; the whole report goes to bench/results/latest.json with the machine it ran on.
//
// `--smoke` (CI, `npm run bench:smoke`): everything at the small size (HUBSHARE_BENCH_SCALE=small),
// figures printed, no timing asserted; fails when any benchmark has no figures (vitest bench exits
// 0 when a bench throws: the bench simply has none). The report then stays in a temp folder.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

const smoke = process.argv.includes('--smoke');
// The end-to-end bench runs the built bundles, as users do.
for (const bundle of ['hubshare.cjs', 'agent.cjs', 'service.cjs']) {
  if (!existsSync(join('jupyterlab_hubshare', 'node', bundle))) {
    console.error(`bench: jupyterlab_hubshare/node/${bundle} is not built; run \`npm run build\` first.`);
    process.exit(5);
  }
}
const env = { ...process.env, ...(smoke ? { HUBSHARE_BENCH_SCALE: 'small' } : {}) };
const scratch = mkdtempSync(join(tmpdir(), 'hubshare-bench-'));

/** Goals of the vitest groups, by group name: a ratio to the group's baseline, and a p99 ceiling. */
const GOALS = [
  { group: /^(sqlite|postgres): /, bench: /^at [\d,]+ projects$/, ratio: 2, p99: 20, note: 'growth 2,000 → 20,000 ≤ 2; p99 ≤ 20 ms' }
];

function vitestGroups() {
  const output = join(scratch, 'vitest.json');
  // One file at a time: on a machine of two cores, a bench seeding 20,000 projects beside one
  // that measures makes both figures noise.
  const run = spawnSync('npx', ['vitest', 'bench', '--run', '--no-file-parallelism', '--outputJson', output], { stdio: 'inherit', env });
  if (run.status !== 0) {
    throw new Error(`vitest bench exited ${run.status}`);
  }
  return JSON.parse(readFileSync(output, 'utf8')).files.flatMap(file =>
    file.groups.map(group => {
      const baseline = group.benchmarks.find(bench => /baseline/.test(bench.name));
      const name = group.fullName.replace(/^.*?\.bench\.tsx? > /, '');
      return {
        name,
        file: file.filepath.replace(`${process.cwd()}/`, ''),
        benchmarks: group.benchmarks.map(bench => {
          const goal = GOALS.find(goal => goal.group.test(name) && goal.bench.test(bench.name));
          return {
            name: bench.name,
            median: bench.median,
            p99: bench.p99,
            samples: bench.sampleCount ?? 0,
            against: baseline && baseline !== bench ? baseline.name : null,
            goal: goal?.ratio ?? null,
            p99Goal: goal?.p99 ?? null
          };
        })
      };
    })
  );
}

async function realisticReport() {
  const bundle = join(scratch, 'realistic.cjs');
  await build({ entryPoints: ['bench/realistic/realistic-project.ts'], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'warning' });
  const output = join(scratch, 'realistic.json');
  console.log('\nbench/realistic: publish, check out, push and pull a realistic project, end to end');
  const run = spawnSync(process.execPath, [bundle, output], { stdio: 'inherit', env });
  if (run.status !== 0) {
    throw new Error(`the realistic-project bench exited ${run.status}`);
  }
  const report = JSON.parse(readFileSync(output, 'utf8'));
  return { ...report, groups: report.groups.map(group => ({ ...group, file: 'bench/realistic/realistic-project.ts' })) };
}

const format = ms => (ms === undefined || Number.isNaN(ms) ? '—' : ms >= 100 ? ms.toFixed(0) : ms.toFixed(ms >= 10 ? 1 : 2));

function printTable(groups) {
  const rows = [['benchmark', 'median ms', 'p99 ms', '× baseline', 'goal', '']];
  for (const group of groups) {
    rows.push([`${group.name}`, '', '', '', '', '']);
    for (const bench of group.benchmarks) {
      const base = group.benchmarks.find(other => other.name === bench.against);
      const ratio = base ? bench.median / base.median : undefined;
      const met = [
        bench.goal !== null && ratio !== undefined ? ratio <= bench.goal : undefined,
        bench.p99Goal ? bench.p99 <= bench.p99Goal : undefined
      ].filter(value => value !== undefined);
      bench.ratio = ratio ?? null;
      bench.met = met.length ? met.every(Boolean) : null;
      rows.push([
        `  ${bench.name}`,
        format(bench.median),
        format(bench.p99),
        ratio === undefined ? '' : `${ratio.toFixed(2)}×`,
        [bench.goal !== null ? `≤ ${bench.goal}×` : '', bench.p99Goal ? `p99 ≤ ${bench.p99Goal}` : ''].filter(Boolean).join(', '),
        bench.met === null ? '' : bench.met ? 'met' : 'NOT MET'
      ]);
    }
  }
  const widths = rows[0].map((_, column) => Math.max(...rows.map(row => row[column].length)));
  console.log(`\n${rows.map(row => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ')).join('\n')}`);
}

function machine() {
  const git = spawnSync('git', ['--version'], { encoding: 'utf8' }).stdout.trim();
  return { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), kernel: release(), node: process.version, git };
}

try {
  const groups = vitestGroups();
  const realistic = await realisticReport();
  const all = [...groups, ...realistic.groups];
  printTable(all);
  console.log(`\nresident memory at the end of the end-to-end run (peak / now): service ${realistic.memory.service.peakMiB.toFixed(0)} / ${realistic.memory.service.nowMiB.toFixed(0)} MiB, agent ${realistic.memory.agent.peakMiB.toFixed(0)} / ${realistic.memory.agent.nowMiB.toFixed(0)} MiB`);
  const processes = realistic.gitProcesses;
  console.log(`git commands started: hubshare push ${processes.cliPush} (plain git add, commit, push: ${processes.gitPush}), hubshare status ${processes.cliStatus}`);
  if (smoke) {
    console.log('(smoke size: the goals are for the full size; at this size fixed costs weigh more)');
  }
  const missing = all.flatMap(group => group.benchmarks.filter(bench => !(bench.samples > 0)).map(bench => `${group.name} > ${bench.name}`));
  if (missing.length > 0) {
    console.error(`\nbench: ${missing.length} benchmark(s) have no figures (they threw, or their setup did):\n  ${missing.join('\n  ')}`);
    process.exitCode = 1;
  }
  const report = { ranAt: new Date().toISOString(), scale: smoke ? 'small' : 'full', machine: machine(), groups: all, memory: realistic.memory, gitProcesses: processes };
  const resultFile = smoke ? join(scratch, 'results.json') : join('bench', 'results', 'latest.json');
  if (!smoke) {
    mkdirSync(join('bench', 'results'), { recursive: true });
  }
  writeFileSync(resultFile, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nbench: ${all.reduce((sum, group) => sum + group.benchmarks.length, 0)} benchmarks in ${all.length} groups${smoke ? ' (smoke size)' : `; results in ${resultFile}`}`);
} catch (error) {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
