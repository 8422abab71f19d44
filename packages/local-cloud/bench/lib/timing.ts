import { performance } from 'node:perf_hooks';

export const now = (): number => performance.now();
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Runs `workers` copies of `step` until `ms` have passed; each step returns how many units it
 * did. Returns units per second over the real elapsed time (the last steps overrun a little).
 */
export async function rate(
  step: (worker: number) => Promise<number>,
  ms: number,
  workers = 1,
): Promise<number> {
  const start = now();
  const deadline = start + ms;
  let units = 0;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      while (now() < deadline) {
        // Not `units += await step(w)`: that reads `units` before the await, so concurrent
        // workers would overwrite each other's counts.
        const done = await step(w);
        units += done;
      }
    }),
  );
  return (units / (now() - start)) * 1000;
}

/**
 * Runs every variant once per round, rotating the order each round so drift in a shared,
 * noisy machine falls on all variants alike. Returns each variant's per-round values.
 */
export async function interleave<K extends string>(
  rounds: number,
  variants: Record<K, () => Promise<number>>,
): Promise<Record<K, number[]>> {
  const names = Object.keys(variants) as K[];
  const out = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + r) % names.length]!;
      out[name].push(await variants[name]());
    }
  }
  return out;
}

/** `rate` for synchronous work, without an await per step to distort it. */
export function rateSync(step: () => number, ms: number): number {
  const start = now();
  const deadline = start + ms;
  let units = 0;
  while (now() < deadline) units += step();
  return (units / (now() - start)) * 1000;
}
