import { seededRandom } from '../payment-provider/random.js';

/** A seeded source with the few draws the script needs; the same seed draws the same values. */
export interface Dice {
  /** [0, 1) */
  next(): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** An integer from min to max, both included. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** `count` distinct items, in draw order. */
  sample<T>(items: readonly T[], count: number): T[];
}

export function dice(seed: number): Dice {
  const next = seededRandom(seed);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    chance: (p) => p > 0 && next() < p,
    int,
    pick: (items) => items[int(0, items.length - 1)]!,
    sample(items, count) {
      const pool = [...items];
      const out = [];
      while (out.length < count && pool.length)
        out.push(pool.splice(int(0, pool.length - 1), 1)[0]!);
      return out;
    },
  };
}

/**
 * Independent streams from one seed (the script's, the fault plan's, the
 * provider's), so adding a draw to one does not shift the others.
 */
export function subSeed(seed: number, stream: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const c of stream) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}
