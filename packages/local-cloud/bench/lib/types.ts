import type { BenchResult } from './report.js';

export interface BenchContext {
  /** About 30 s for the whole run instead of about 3 minutes: fewer rounds, shorter windows. */
  readonly quick: boolean;
  /** Progress, on stderr so stdout holds only results. */
  log(message: string): void;
}

export interface Benchmark {
  readonly name: string;
  readonly description: string;
  /** Must stop everything it starts, also when it fails. */
  run(ctx: BenchContext): Promise<BenchResult>;
}
