/**
 * Numbers as event patterns compare them. AWS documents numeric matching for values between
 * -5.0e9 and +5.0e9 inclusive with six digits after the decimal point; event-ruler turns each
 * number into an integer count of millionths and compares those. We do the same: millionths of
 * at most 5e15 fit exactly in a double, so no BigInt is needed when matching events.
 */

export const NUMERIC_LIMIT = 5e9;
const MICROS = 1e6;
const MAX_MICROS = NUMERIC_LIMIT * MICROS;
const MAX_DECIMALS = 6;
const LONG_MAX = (1n << 63n) - 1n;

/** event-ruler's IllegalArgumentException: AWS shows its message as the reason. */
export class IllegalArgument extends Error {}

/** A Java ArithmeticException escaping event-ruler (it is not caught, so it has no location). */
export class ArithmeticFailure extends Error {}

interface Decimal {
  readonly unscaled: bigint;
  readonly scale: number;
}

/** Parses JSON number text exactly (Java's BigDecimal), trailing zeros stripped. */
function parseDecimal(text: string): Decimal {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match) throw new IllegalArgument(`Not a number: ${text}`);
  const [, sign, whole, fraction = '', exponent = '0'] = match;
  let digits = (whole ?? '') + fraction;
  let scale = fraction.length - Number(exponent);
  let unscaled = BigInt(digits);
  if (unscaled === 0n) return { unscaled: 0n, scale: 0 };
  digits = unscaled.toString();
  const trimmed = digits.replace(/0+$/, '');
  scale -= digits.length - trimmed.length;
  unscaled = BigInt(trimmed);
  return { unscaled: sign === '-' ? -unscaled : unscaled, scale };
}

/**
 * The comparable form of a pattern number (millionths), or the error event-ruler raises:
 * too many decimals, out of range, or too large for a Java long at all.
 */
export function patternMicros(text: string): number {
  const { unscaled, scale } = parseDecimal(text);
  if (scale > MAX_DECIMALS) throw new IllegalArgument('Only values upto 6 decimals are supported');
  const micros = unscaled * 10n ** BigInt(MAX_DECIMALS - scale);
  if (micros > LONG_MAX || micros < -LONG_MAX - 1n) throw new ArithmeticFailure('Overflow');
  if (micros > BigInt(MAX_MICROS) || micros < -BigInt(MAX_MICROS)) {
    throw new IllegalArgument(
      `Value must be between ${javaDouble(-NUMERIC_LIMIT)} and ${javaDouble(NUMERIC_LIMIT)}, inclusive`,
    );
  }
  return Number(micros);
}

/** The comparable form of a pattern number, or undefined where event-ruler skips it silently. */
export function patternMicrosOrUndefined(text: string): number | undefined {
  try {
    return patternMicros(text);
  } catch {
    return undefined;
  }
}

/**
 * The comparable form of a number in an event, or undefined when numeric operators cannot
 * apply to it (outside the documented range, or more than six decimals).
 */
export function eventMicros(value: number): number | undefined {
  if (!Number.isFinite(value) || Math.abs(value) > NUMERIC_LIMIT) return undefined;
  if (Number.isInteger(value)) return value * MICROS;
  // String(value) is the shortest decimal that reads back as this double: use its digits.
  const { unscaled, scale } = parseDecimal(String(value));
  if (scale > MAX_DECIMALS) return undefined;
  return Number(unscaled * 10n ** BigInt(MAX_DECIMALS - scale));
}

/** Java's Double.toString for the few values our messages print (5.0E9). */
function javaDouble(value: number): string {
  const exponent = Math.floor(Math.log10(Math.abs(value)));
  const mantissa = value / 10 ** exponent;
  const text = Number.isInteger(mantissa) ? mantissa.toFixed(1) : String(mantissa);
  return `${text}E${exponent}`;
}
