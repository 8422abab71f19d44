/** Sequential timing windows and the p50/p99 rows the peers benchmark reports. */
import { fromRounds, now, quantile, type Row } from '@shop/local-cloud/bench';

export interface Window {
  readonly perSec: number;
  /** Each call's latency, ms. */
  readonly samples: number[];
}

/** Calls `call` back to back for `ms`: calls per second and every call's latency. */
export async function sequential(call: () => Promise<unknown>, ms: number): Promise<Window> {
  const samples: number[] = [];
  const start = now();
  while (now() - start < ms) {
    const t = now();
    await call();
    samples.push(now() - t);
  }
  return { perSec: (samples.length / (now() - start)) * 1000, samples };
}

/**
 * `workers` callers calling `call` back to back for `ms`: calls per second, all callers together.
 * Not the kit's rate(): its `units += await step()` reads the count before the await, so
 * concurrent workers overwrite each other's additions and it reports about 1/workers of the rate.
 */
export async function concurrent(
  call: () => Promise<unknown>,
  ms: number,
  workers: number,
): Promise<number> {
  let calls = 0;
  const start = now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (now() - start < ms) {
        await call();
        calls++;
      }
    }),
  );
  return (calls / (now() - start)) * 1000;
}

/**
 * p50 and p99 rows from samples grouped by round (latencyRows stops at p95; a peer comparison
 * wants the tail): each value is the median of the per-round percentiles, the spread their range.
 */
export function tailRows(metric: string, samplesByRound: readonly number[][]): Row[] {
  return [0.5, 0.99].map((q) =>
    fromRounds(
      `${metric} p${q * 100}`,
      samplesByRound.map((s) => quantile(s, q)),
      'ms',
    ),
  );
}

/** A row that says what was not measured and why; its value is NaN (null in --json). */
export function unavailable(metric: string, reason: string): Row {
  const short = reason.length > 160 ? `${reason.slice(0, 157)}...` : reason;
  return {
    metric: `${metric}: not measured (${short})`,
    value: NaN,
    unit: '',
    rounds: 0,
    min: NaN,
    max: NaN,
  };
}
