/** Generators of values that are wrong for a kind of field, and of odd text. */
import fc from 'fast-check';
import { Raw } from './draft.js';

/**
 * Characters that have broken parsers before: controls, lone surrogates, bidi
 * and zero-width marks, BOM, combining marks, emoji (with ZWJ), lookalikes,
 * and URL / JSON / shell syntax. None is allowed in an id or a sku.
 */
export const ODD_CHARS = [
  '\u0000',
  '\u0007',
  '\u001b',
  '\u007f',
  '\ud800',
  '\udfff',
  '\u202e',
  '\u200f',
  '\u200b',
  '\u2028',
  '\ufeff',
  '\u0301',
  '😀',
  '👩‍👩‍👧',
  'é',
  'ｓ',
  'ß',
  ' ',
  '\t',
  '\n',
  '/',
  '\\',
  '"',
  "'",
  '%',
  '?',
  '#',
  '&',
  '+',
  '=',
  '<',
  '>',
  '{',
  '}',
  ':',
  ',',
  '@',
  '*',
  '~',
  '`',
  '|',
  '$',
] as const;

const ALNUM = [...'abcXYZ019_-'];
const alnum = (maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...ALNUM), minLength: 0, maxLength });

/** A value that is wrong for a field, and whether the body stops being JSON because of it. */
export interface Bad {
  value: unknown;
  label: string;
  /** A literal JSON.parse refuses: the reply names the JSON, not the field. */
  malformed: boolean;
}

const bad = (value: unknown, label = JSON.stringify(value) ?? String(value)): Bad => ({
  value,
  label: label.length > 120 ? `${label.slice(0, 60)}...(${label.length} chars)` : label,
  malformed: false,
});

const raw = (text: string, malformed: boolean): Bad => ({
  value: Raw.text(text),
  label: `raw ${text}`,
  malformed,
});

/** An id with one odd character somewhere: never valid, whatever the id pattern. */
export const oddId = fc
  .tuple(alnum(8), fc.constantFrom(...ODD_CHARS), alnum(8))
  .map(([a, odd, b]) => `${a}${odd}${b}`);

export const tooLong = (max: number, char = 'x') =>
  fc.integer({ min: max + 1, max: max + 300 }).map((n) => char.repeat(n));

const notString = fc.constantFrom<unknown>(null, true, false, 0, 42, -1.5, [], {}, ['x'], {
  a: 1,
});
const notNumber = fc.constantFrom<unknown>(null, true, false, '1', '', '0x1', [], {}, [1], {
  n: 1,
});
const notObject = fc.constantFrom<unknown>(null, true, 1, 'x', '', [], [{}]);
const notArray = fc.constantFrom<unknown>(null, true, 1, 'x', '', {}, { 0: {} });

export type Kind =
  /** Ids and skus: 1-64 of [A-Za-z0-9_-], and `.` too when `dot`. */
  | { type: 'id'; dot: boolean }
  | { type: 'int'; min: number; max: number }
  | { type: 'text'; min: number; max: number; trim?: boolean }
  | { type: 'country' }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'datetime' }
  | { type: 'object' }
  | { type: 'array' };

/** Strings that are not a valid id of the kind (no wrong types: for paths too). */
export function badIdString(dot: boolean): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: oddId },
    { weight: 2, arbitrary: tooLong(64, 'a') },
    // 64 is fine, 65 is not: the edge.
    { weight: 1, arbitrary: fc.constant('b'.repeat(65)) },
    { weight: 1, arbitrary: fc.constantFrom('', '😀', '\u202eevil', 'ａｂｃ', 'x\u0000') },
    ...(dot ? [] : [{ weight: 1, arbitrary: fc.constantFrom('.', '..', 'a.b', 'ord.1') }]),
  );
}

/** Values that break the kind's rule, with a label to report. */
export function badValue(kind: Kind): fc.Arbitrary<Bad> {
  switch (kind.type) {
    case 'id':
      return fc.oneof(
        { weight: 4, arbitrary: badIdString(kind.dot).map((s) => bad(s)) },
        { weight: 1, arbitrary: notString.map((v) => bad(v)) },
        // Invalid UTF-8 in the JSON text: decoded to U+FFFD, which no id allows.
        {
          weight: 1,
          arbitrary: fc.constantFrom('ff', 'c0af', 'eda080', '80').map((hex) => ({
            value: new Raw(
              Buffer.concat([Buffer.from('"id'), Buffer.from(hex, 'hex'), Buffer.from('"')]),
            ),
            label: `"id" + bytes ${hex}`,
            malformed: false,
          })),
        },
      );
    case 'int': {
      const { min, max } = kind;
      return fc.oneof(
        { weight: 2, arbitrary: fc.integer({ min: -1e9, max: min - 1 }).map((v) => bad(v)) },
        {
          weight: 2,
          arbitrary: fc.integer({ min: max + 1, max: Number.MAX_SAFE_INTEGER }).map((v) => bad(v)),
        },
        {
          weight: 2,
          arbitrary: fc
            .double({ min, max, noNaN: true, noDefaultInfinity: true })
            .filter((v) => !Number.isInteger(v))
            .map((v) => bad(v)),
        },
        {
          weight: 1,
          arbitrary: fc
            .constantFrom(1e21, -1e21, 2 ** 53 + 2, Number.MAX_VALUE, Number.MIN_VALUE, -0.5)
            .map((v) => bad(v)),
        },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            raw('1e400', false),
            raw('-1e400', false),
            raw('NaN', true),
            raw('Infinity', true),
            raw('-Infinity', true),
            raw('0x10', true),
            raw('01', true),
            raw('.5', true),
            raw('+1', true),
            raw('1.', true),
            raw('1e', true),
            raw('--1', true),
          ),
        },
        { weight: 2, arbitrary: notNumber.map((v) => bad(v)) },
      );
    }
    case 'text': {
      const { min, max } = kind;
      return fc.oneof(
        ...(min > 0 ? [{ weight: 1, arbitrary: fc.constant(bad('')) }] : []),
        ...(kind.trim
          ? [
              {
                weight: 1,
                arbitrary: fc
                  .constantFrom(' ', '   ', '\t\n', '\u3000', '\u00a0', '\ufeff')
                  .map((v) => bad(v)),
              },
            ]
          : []),
        { weight: 2, arbitrary: tooLong(max).map((v) => bad(v)) },
        // Lengths count code points, not UTF-16 units: one emoji over the limit, not half.
        {
          weight: 1,
          arbitrary: fc.integer({ min: max + 1, max: max + 100 }).map((n) => bad('😀'.repeat(n))),
        },
        { weight: 2, arbitrary: notString.map((v) => bad(v)) },
      );
    }
    case 'country':
      return fc.oneof(
        fc
          .constantFrom('gb', 'Gb', 'GBR', 'G', '', '12', 'ÉÉ', '😀', 'G\u0000', 'G ', ' G', 'ＧＢ')
          .map((v) => bad(v)),
        notString.map((v) => bad(v)),
      );
    case 'enum':
      return fc.oneof(
        fc
          .string({ maxLength: 12 })
          .filter((s) => !kind.values.includes(s))
          .map((v) => bad(v)),
        fc
          .constantFrom(
            ...kind.values.flatMap((v) => [v.toLowerCase(), `${v} `, `${v}\u0000`, ` ${v}`]),
          )
          .map((v) => bad(v)),
        notString.map((v) => bad(v)),
      );
    case 'datetime':
      return fc.oneof(
        fc
          .constantFrom(
            'yesterday',
            '',
            '2024-13-01T00:00:00Z',
            '2024-02-30T00:00:00Z',
            '2024-01-01',
            '2024-01-01T00:00:00',
            '2024-01-01T24:00:00Z',
            '01/02/2024 10:00',
            '2024-01-01T00:00:00Z\u0000',
          )
          .map((v) => bad(v)),
        fc.constantFrom<unknown>(1_700_000_000, null, true, {}, []).map((v) => bad(v)),
      );
    case 'object':
      return notObject.map((v) => bad(v));
    case 'array':
      return notArray.map((v) => bad(v));
  }
}

/** Names of unknown keys: never one a schema knows, odd characters welcome. */
export const extraKey = fc
  .tuple(
    fc.constantFrom('x', 'extra', '__proto__', 'constructor', 'customerid', 'Quantity', 'toString'),
    fc.string({ unit: fc.constantFrom('a', '_', '1', ...ODD_CHARS), maxLength: 4 }),
  )
  .map(([head, tail]) => (head === '__proto__' || head === 'constructor' ? head : head + tail));

/** Any JSON value to put under an unknown key. */
export const anyJson = fc.jsonValue({ maxDepth: 2 });
