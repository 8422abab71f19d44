import { UsageError } from '../shared/cli.js';

/** An EventBridge event pattern: fields map to lists of matchers or to nested patterns. */
export interface Pattern {
  [field: string]: Pattern | unknown[];
}

/** Two patterns constrain one field in ways a single pattern cannot express together. */
export class PatternConflict extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'PatternConflict';
  }
}

/** Parses `--pattern`; the message names what was received and the expected shape. */
export function parsePatternFlag(text: string): Pattern {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(
      `--pattern is not JSON (${(err as Error).message}); received '${text}'. ` +
        `Quote it for the shell, e.g. --pattern '{"detail-type":["OrderPlaced"]}'.`,
    );
  }
  if (!isPattern(value) || Object.keys(value).length === 0) {
    throw new UsageError(
      `--pattern must be a non-empty JSON object, an EventBridge event pattern like ` +
        `{"source":["shop.orders"]}; received ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

/** The pattern the replay filters by: --pattern AND --source AND --detail-type; undefined if none. */
export function patternFromFlags(flags: {
  pattern?: string;
  source?: readonly string[];
  'detail-type'?: readonly string[];
}): Pattern | undefined {
  const parts: Pattern[] = [];
  if (flags.pattern !== undefined) parts.push(parsePatternFlag(flags.pattern));
  if (flags.source?.length) parts.push({ source: [...flags.source] });
  if (flags['detail-type']?.length) parts.push({ 'detail-type': [...flags['detail-type']] });
  if (parts.length === 0) return undefined;
  let combined: Pattern | null = parts[0]!;
  for (const p of parts.slice(1)) {
    try {
      combined = intersect(combined!, p);
    } catch (err) {
      throw new UsageError(
        `--pattern, --source and --detail-type conflict: ${(err as Error).message}`,
      );
    }
    if (combined === null) {
      throw new UsageError(
        '--pattern, --source and --detail-type have no event in common: nothing could match all of them.',
      );
    }
  }
  return combined!;
}

/**
 * A pattern that matches exactly the events both `a` and `b` match, or null
 * when no event can (e.g. disjoint detail-type lists). EventBridge has no AND
 * of patterns, so fields are merged: distinct fields are all kept, nested
 * objects are merged recursively, and two lists of exact values become their
 * common values. Anything else on the same field (prefix vs exact, two
 * different operator lists, $or on both sides) cannot be expressed as one
 * pattern and throws PatternConflict naming the field.
 */
export function intersect(a: Pattern, b: Pattern, path = ''): Pattern | null {
  const out: Pattern = {};
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const field = path ? `${path}.${key}` : key;
    const x = a[key];
    const y = b[key];
    if (x === undefined || y === undefined) {
      out[key] = (x ?? y)!;
      continue;
    }
    if (key === '$or') {
      throw new PatternConflict(field, `both patterns use $or at ${path || 'the top level'}.`);
    }
    if (Array.isArray(x) && Array.isArray(y)) {
      const merged = intersectMatchers(x, y, field);
      if (merged === null) return null;
      out[key] = merged;
    } else if (isPattern(x) && isPattern(y)) {
      const merged = intersect(x, y, field);
      if (merged === null) return null;
      out[key] = merged;
    } else {
      throw new PatternConflict(
        field,
        `field ${field} is a list of values in one pattern and an object of fields in the other.`,
      );
    }
  }
  return out;
}

function intersectMatchers(x: unknown[], y: unknown[], field: string): unknown[] | null {
  const key = (v: unknown) => JSON.stringify(v);
  const xs = new Set(x.map(key));
  const ys = new Set(y.map(key));
  if (xs.size === ys.size && [...xs].every((v) => ys.has(v))) return x;
  if (x.every(isExact) && y.every(isExact)) {
    const common = x.filter((v) => ys.has(key(v)));
    return common.length ? common : null;
  }
  throw new PatternConflict(
    field,
    `field ${field} is matched by ${JSON.stringify(x)} in one pattern and ${JSON.stringify(y)} ` +
      `in the other; only lists of exact values can be combined into one rule.`,
  );
}

function isExact(v: unknown): boolean {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v);
}

export function isPattern(v: unknown): v is Pattern {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
