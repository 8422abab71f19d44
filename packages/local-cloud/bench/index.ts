/**
 * The local cloud's benchmarks and the measuring kit they share, for a host
 * project's `bench` runner: figures, never pass/fail.
 */
export { Arrivals } from './lib/arrivals.js';
export { clientConfig } from './lib/aws.js';
export { descendantCpuMs } from './lib/descendants.js';
export { descendantRssMiB, snapshot, type MemorySnapshot } from './lib/memory.js';
export {
  fromRounds,
  latencyRows,
  single,
  table,
  type BenchResult,
  type Row,
} from './lib/report.js';
export { geomean, median, quantile, ratios } from './lib/stats.js';
export { interleave, now, rate, rateSync, sleep } from './lib/timing.js';
export type { Benchmark, BenchContext } from './lib/types.js';
export { patternBenchmark, type PatternWorkload } from './pattern.js';
export { sqsBenchmark } from './sqs.js';
