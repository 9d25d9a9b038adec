// The shape of the end-to-end benchmark's results, which scripts/bench.mjs merges with vitest's.

export interface BenchResult {
  name: string;
  /** Milliseconds. */
  median: number;
  min: number;
  max: number;
  samples: number;
  /** The benchmark of the same group this one is divided by (null: none). */
  against: string | null;
  /** The goal for that ratio (null: shown, no goal). */
  goal: number | null;
}

export interface BenchGroup {
  name: string;
  benchmarks: BenchResult[];
}

export interface RealisticReport {
  scale: 'small' | 'full';
  rounds: number;
  groups: BenchGroup[];
  /** Resident memory of the long-running processes at the end of the run, in MiB (peak and now). */
  memory: Record<'service' | 'agent', { peakMiB: number; nowMiB: number }>;
  /** git commands started by one push (CLI, plain git) and one status (CLI). */
  gitProcesses: { cliPush: number; cliStatus: number; gitPush: number };
}
