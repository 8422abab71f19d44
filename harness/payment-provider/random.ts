import { seededRandom } from '@shop/local-cloud';

export { seededRandom };

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** An id like `ch_3k9x0q...` drawn from `random`. */
export function randomId(prefix: string, random: () => number, length = 16): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return `${prefix}_${out}`;
}
