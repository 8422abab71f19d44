/**
 * A seeded pseudo-random source (mulberry32), so a run with the same seed and
 * the same sequence of requests makes the same ids, failures and declines.
 * Not for anything secret: it is a simulator.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** An id like `ch_3k9x0q...` drawn from `random`. */
export function randomId(prefix: string, random: () => number, length = 16): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return `${prefix}_${out}`;
}
