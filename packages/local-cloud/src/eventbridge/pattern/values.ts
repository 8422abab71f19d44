/**
 * Tests for one leaf value of an event, one per entry of a pattern's value array. Each is built
 * once when the pattern is parsed (case folding, wildcard segments and numbers precomputed), so
 * matching an event never builds a regex or parses a number from the pattern.
 */
import { eventMicros } from './numbers.js';
import { inRange, parseIp, sameAddress, type IpRange } from './ip.js';
import { wildcardMatches } from './wildcard.js';

/** A leaf value of an event: what JSON can hold outside objects and arrays. */
export type Scalar = string | number | boolean | null;

export interface ValueTest {
  readonly test: (value: Scalar) => boolean;
  /** The raw operand of a `wildcard` test, for the rule-complexity check. */
  readonly wildcard?: string;
}

const isString = (v: Scalar): v is string => typeof v === 'string';

export function exact(expected: string | boolean | null): ValueTest {
  return { test: (v) => v === expected };
}

/** A pattern number matches an equal event number (1 matches 1.0), never a string. */
export function exactNumber(text: string): ValueTest {
  const expected = Number(text);
  return { test: (v) => v === expected };
}

/** event-ruler turns a pattern string that is an IP address into that address. */
export function exactIp(address: Uint8Array): ValueTest {
  return {
    test: (v) => {
      if (!isString(v)) return false;
      const actual = parseIp(v);
      return actual !== undefined && sameAddress(actual, address);
    },
  };
}

export function prefix(start: string): ValueTest {
  return { test: (v) => isString(v) && v.startsWith(start) };
}

export function suffix(end: string): ValueTest {
  return { test: (v) => isString(v) && v.endsWith(end) };
}

export function equalsIgnoreCase(expected: string): ValueTest {
  const folded = fold(expected);
  return {
    test: (v) => {
      if (!isString(v)) return false;
      const points = codePoints(v);
      return points.length === folded.length && foldedAt(folded, points, 0);
    },
  };
}

export function prefixIgnoreCase(start: string): ValueTest {
  const folded = fold(start);
  return {
    test: (v) => {
      if (!isString(v)) return false;
      const points = codePoints(v);
      return points.length >= folded.length && foldedAt(folded, points, 0);
    },
  };
}

export function suffixIgnoreCase(end: string): ValueTest {
  const folded = fold(end);
  return {
    test: (v) => {
      if (!isString(v)) return false;
      const points = codePoints(v);
      return (
        points.length >= folded.length && foldedAt(folded, points, points.length - folded.length)
      );
    },
  };
}

export function wildcard(operand: string, segments: readonly string[]): ValueTest {
  return { test: (v) => isString(v) && wildcardMatches(segments, v), wildcard: operand };
}

export function exists(): ValueTest {
  return { test: () => true };
}

export function cidr(range: IpRange): ValueTest {
  return {
    test: (v) => {
      if (!isString(v)) return false;
      const address = parseIp(v);
      return address !== undefined && inRange(address, range);
    },
  };
}

export interface Bound {
  readonly micros: number;
  readonly open: boolean;
}

/** `numeric`: bounds in millionths; a missing bound is unbounded (within the numeric range). */
export function numericRange(low: Bound | undefined, high: Bound | undefined): ValueTest {
  return {
    test: (v) => {
      if (typeof v !== 'number') return false;
      const m = eventMicros(v);
      if (m === undefined) return false;
      if (low && (low.open ? m <= low.micros : m < low.micros)) return false;
      if (high && (high.open ? m >= high.micros : m > high.micros)) return false;
      return true;
    },
  };
}

/**
 * `anything-but` matches every leaf value (of any type, null included) that is not excluded,
 * as event-ruler does: a number is never excluded by a string and the reverse.
 */
export function anythingBut(excluded: (v: Scalar) => boolean): ValueTest {
  return { test: (v) => !excluded(v) };
}

export function excludeStrings(values: readonly string[]): (v: Scalar) => boolean {
  const set = new Set(values);
  return (v) => isString(v) && set.has(v);
}

export function excludeNumbers(micros: readonly number[]): (v: Scalar) => boolean {
  const set = new Set(micros);
  return (v) => {
    if (typeof v !== 'number') return false;
    const m = eventMicros(v);
    return m !== undefined && set.has(m);
  };
}

export function excludeAny(tests: readonly ValueTest[]): (v: Scalar) => boolean {
  return (v) => tests.some((t) => t.test(v));
}

// Case folding per code point, as event-ruler does (each character may be itself, its lower or
// its upper case form), rather than String.toLowerCase, which maps some characters to several.
type Folded = ReadonlySet<number>[];

function fold(text: string): Folded {
  return codePoints(text).map((cp) => {
    const ch = String.fromCodePoint(cp);
    const variants = new Set<number>([cp]);
    for (const other of [ch.toLowerCase(), ch.toUpperCase()]) {
      const points = codePoints(other);
      if (points.length === 1) variants.add(points[0]!);
    }
    return variants;
  });
}

/** True when points[offset...] starts with a case variant of the folded text. */
function foldedAt(folded: Folded, points: readonly number[], offset: number): boolean {
  for (let i = 0; i < folded.length; i++) {
    if (!folded[i]!.has(points[offset + i]!)) return false;
  }
  return true;
}

function codePoints(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) out.push(ch.codePointAt(0)!);
  return out;
}
