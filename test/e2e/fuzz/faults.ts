/**
 * Faults: one change that makes a request wrong, what status it must get, and
 * what the reply must name. Shared by every route: body fields, whole bodies,
 * path parameters.
 */
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import {
  bodyBytes,
  deleteIn,
  encodeSegment,
  jsonBytes,
  setIn,
  type Draft,
  type PathKey,
} from './draft.js';
import { anyJson, badIdString, badValue, extraKey, type Kind } from './values.js';

export interface Fault {
  label: string;
  /** Statuses that are right for this fault. */
  expect: number[];
  /** The reply must name one of these (in `message`, `field` or `fields`), case-insensitively. */
  names: string[];
  /** Applies the fault to a fresh or already-broken draft; false if an earlier fault made it moot. */
  apply(d: Draft): boolean;
  /** Sizes the body to a target: applied after every other fault, which would change the size. */
  sizing: boolean;
  [fc.toStringMethod](): string;
}

export function fault(
  label: string,
  expect: number[],
  names: string[],
  apply: (d: Draft) => boolean,
  sizing = false,
): Fault {
  return { label, expect, names, apply, sizing, [fc.toStringMethod]: () => label };
}

/** The body limit of every route (plumbing/http.ts MAX_BODY_BYTES). */
export const MAX_BODY = 64 * 1024;

export interface Field {
  path: PathKey;
  kind: Kind;
  required: boolean;
}

const show = (path: PathKey) => path.join('.');

/** Wrong values, missing required fields and unknown extra keys, each named by its path. */
export function fieldFaults(fields: readonly Field[]): fc.Arbitrary<Fault> {
  const wrong = fc
    .constantFrom(...fields)
    .chain((f) =>
      badValue(f.kind).map((b) =>
        fault(
          `set ${show(f.path)} = ${b.label}`,
          [400],
          b.malformed ? ['JSON'] : [show(f.path)],
          (d) => setIn(d, f.path, b.value),
        ),
      ),
    );
  const missing = fc
    .constantFrom(...fields.filter((f) => f.required))
    .map((f) => fault(`delete ${show(f.path)}`, [400], [show(f.path)], (d) => deleteIn(d, f.path)));
  const objects: PathKey[] = [
    [],
    ...fields.filter((f) => f.kind.type === 'object').map((f) => f.path),
  ];
  const extra = fc
    .tuple(fc.constantFrom(...objects), extraKey, anyJson)
    .map(([at, key, value]) =>
      fault(`add ${show([...at, key])} = ${JSON.stringify(value)}`, [400], [key], (d) =>
        setIn(d, [...at, key], value),
      ),
    );
  return fc.oneof({ weight: 5, arbitrary: wrong }, { weight: 2, arbitrary: missing }, extra);
}

const MALFORMED = [
  '{',
  '}',
  '{"a":1',
  "{'quantity': 1}",
  '{quantity: 1}',
  '{"quantity": 1,}',
  '[1,]',
  '{"a":1}}',
  '{"a":1}{"a":1}',
  '{"a":1} x',
  '// comment\n{}',
  '/* c */ {}',
  'undefined',
  'NaN',
  "'str'",
  '{"a":"\\x41"}',
  '{"a":"\\u12"}',
  '{"a":"tab\there"}',
  '{"a":\u0000}',
  '\u0000',
  '\ufeff{}',
  '{"a" 1}',
  '<xml/>',
  'quantity=1',
];

const isJson = (s: string) => {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
};

const WRONG_CONTENT_TYPES = [
  'text/plain',
  'text/html; charset=utf-8',
  'text/json',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/octet-stream',
  'application/jsonx',
  'application/x-json',
  'application/ json',
  'image/png',
  'json',
  '*/*',
];

/**
 * Faults of the body as a whole: empty, not JSON, JSON but not an object,
 * another content type or encoding, over the limit, and at the limit exactly.
 * `pad` is a field the limit cases fill (a string field that is too long at
 * that size, or an unknown key).
 */
export function bodyFaults(pad: PathKey): fc.Arbitrary<Fault> {
  const padName = show(pad);
  const empty = fc.constantFrom('', ' ', '\r\n\t ', '\u00a0').map((text) =>
    fault(`body ${JSON.stringify(text)}`, [400], ['(body)'], (d) => {
      d.body = { kind: 'bytes', bytes: Buffer.from(text) };
      return true;
    }),
  );
  const malformed = fc
    .oneof(
      fc.constantFrom(...MALFORMED),
      fc.string({ unit: 'binary', maxLength: 30 }).filter((s) => s.trim() !== '' && !isJson(s)),
    )
    .map((text) =>
      fault(`body ${JSON.stringify(text)}`, [400], ['JSON'], (d) => {
        d.body = { kind: 'bytes', bytes: Buffer.from(text) };
        return true;
      }),
    );
  // A prefix of the valid body is never JSON.
  const truncated = fc.double({ min: 0.01, max: 0.99, noNaN: true }).map((at) =>
    // Cut after a padding fault, it may still be over the limit.
    fault(`body cut at ${Math.round(at * 100)}%`, [400, 413], ['JSON', 'bytes'], (d) => {
      const bytes = bodyBytes(d.body);
      if (d.body.kind !== 'json' || !bytes || bytes.length < 2) return false;
      const text = bytes.toString('utf8');
      const cut = text.slice(0, Math.max(1, Math.floor(text.length * at)));
      if (cut.trim() === '' || isJson(cut)) return false;
      d.body = { kind: 'bytes', bytes: Buffer.from(cut) };
      return true;
    }),
  );
  const notObject = fc
    .oneof(
      fc.constantFrom<unknown>(null, true, 0, -1, 'x', '', [], [{}]),
      fc.array(anyJson, { maxLength: 3 }),
    )
    .map((value) =>
      fault(`body ${JSON.stringify(value)}`, [400], ['(root)'], (d) => setIn(d, [], value)),
    );
  const contentType = fc.constantFrom(...WRONG_CONTENT_TYPES).map((type) =>
    fault(`content-type ${type}`, [415], ['Content-Type'], (d) => {
      d.headers['content-type'] = type;
      return true;
    }),
  );
  const encoding = fc.constantFrom('utf-16', 'gzip').map((how) =>
    // UTF-16 doubles the size: after a padding fault, over the limit.
    fault(`body as ${how}`, [400, 413], ['JSON', 'bytes'], (d) => {
      const bytes = bodyBytes(d.body);
      if (!bytes || bytes.length === 0) return false;
      if (how === 'gzip') {
        d.headers['content-encoding'] = 'gzip';
        d.body = { kind: 'bytes', bytes: gzipSync(bytes) };
      } else {
        d.headers['content-type'] = 'application/json; charset=utf-16';
        d.body = { kind: 'bytes', bytes: Buffer.from(bytes.toString('utf8'), 'utf16le') };
      }
      return true;
    }),
  );
  const overWhitespace = fc.integer({ min: MAX_BODY + 1, max: MAX_BODY + 30_000 }).map((size) =>
    fault(
      `body padded with spaces to ${size} bytes`,
      [413],
      ['bytes'],
      (d) => {
        if (d.body.kind !== 'json') return false;
        const length = jsonBytes(d.body.value).length;
        d.body.suffix = ' '.repeat(Math.max(0, size - length));
        return true;
      },
      true,
    ),
  );
  // Three bytes a character: over the limit in bytes while far under it in characters.
  const overMultibyte = fc.integer({ min: 1, max: 5_000 }).map((extra) =>
    fault(
      `${padName} = "€" x ~${Math.ceil(MAX_BODY / 3) + extra}`,
      [413],
      ['bytes'],
      (d) => {
        if (!setIn(d, pad, '')) return false;
        const length = bodyBytes(d.body)!.length;
        return setIn(
          d,
          pad,
          '€'.repeat(Math.max(0, Math.ceil((MAX_BODY + 1 - length) / 3)) + extra),
        );
      },
      true,
    ),
  );
  // Exactly at the limit the body is read, and the field is named.
  const atLimit = fc.constant(
    fault(
      `body of exactly ${MAX_BODY} bytes, ${padName} too long`,
      [400],
      [padName],
      (d) => {
        if (d.body.kind !== 'json' || !setIn(d, pad, '')) return false;
        d.body.suffix = '';
        const length = bodyBytes(d.body)!.length;
        return length < MAX_BODY && setIn(d, pad, 'y'.repeat(MAX_BODY - length));
      },
      true,
    ),
  );
  return fc.oneof(
    empty,
    { weight: 2, arbitrary: malformed },
    truncated,
    notObject,
    { weight: 2, arbitrary: contentType },
    encoding,
    overWhitespace,
    overMultibyte,
    atLimit,
  );
}

/** Percent-encodings that decode to something no id allows, or do not decode at all. */
const RAW_SEGMENTS = [
  'a%2Fb',
  '%2F',
  'x%2F..%2F..%2Fetc',
  'a%252Fb',
  '%zz',
  '%',
  'a%00b',
  '%E2%80%AE',
  '%ED%A0%80',
  '%C0%AF',
  '%FF',
  '%F0%9F%98%80',
  'a%20',
  'a%3Fb%3D1',
  'a%23b',
];

/** Path parameter `name` at segment `index` replaced by something invalid: a 400 naming it. */
export function pathFaults(
  index: number,
  name: string,
  invalid: fc.Arbitrary<string> = badIdString(false),
): fc.Arbitrary<Fault> {
  const encoded = invalid
    .filter((s) => s !== '')
    .map((value) =>
      fault(`${name} = ${JSON.stringify(value)}`, [400], [name], (d) => {
        d.segments[index] = encodeSegment(value);
        return true;
      }),
    );
  const raw = fc.constantFrom(...RAW_SEGMENTS).map((segment) =>
    fault(`${name} = raw ${segment}`, [400], [name], (d) => {
      d.segments[index] = segment;
      return true;
    }),
  );
  return fc.oneof({ weight: 3, arbitrary: encoded }, raw);
}

/** Path parameter set to a well-formed id nothing has: a 404 naming the id. */
export function unknownFault(index: number, ids: fc.Arbitrary<string>): fc.Arbitrary<Fault> {
  return ids.map((id) =>
    fault(`unknown ${id}`, [404], [id], (d) => {
      d.segments[index] = id;
      return true;
    }),
  );
}

/** Header values that are not a valid key, as node can send them (latin1, no controls but tab). */
export function badKeyValues(max: number): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom('', ' ', 'a\tb', 'é', Buffer.from('😀', 'utf8').toString('latin1')),
    fc.integer({ min: max + 1, max: max + 400 }).map((n) => 'k'.repeat(n)),
  );
}
