/**
 * A request under construction: a route builds a valid (or well-formed) one,
 * faults break it, and `toRequest` turns it into bytes at send time (the
 * carrier webhook signs the final body then, with the current clock).
 */
import { carrierSignature } from '../../../harness/carrier/sign.js';
import type { RawRequest } from './http.js';

/** Bytes spliced into a JSON body where a value goes: number literals JSON.stringify cannot write, invalid UTF-8. */
export class Raw {
  constructor(readonly bytes: Buffer) {}
  static text(text: string): Raw {
    return new Raw(Buffer.from(text, 'utf8'));
  }
}

export type Body =
  | { kind: 'none' }
  /** `suffix` is written after the JSON as is (whitespace padding, trailing garbage). */
  | { kind: 'json'; value: unknown; suffix: string }
  | { kind: 'bytes'; bytes: Buffer };

/** How the carrier webhook's signature header is made when the request is sent. */
export interface Signing {
  /** undefined: the shop's real webhook secret. */
  secret?: string;
  /** Seconds added to the clock for `t=`. */
  skewSeconds: number;
  /** Appended to the body after signing: the signature no longer matches. */
  tamper: string;
  /** Sent instead of a computed signature; a list sends the header once per value. */
  header?: string | string[];
  omit: boolean;
}

export interface Draft {
  method: string;
  /** Path segments as sent: already percent-encoded. */
  segments: string[];
  /** The query string as sent, without `?`. */
  query: string;
  headers: Record<string, string | string[]>;
  body: Body;
  signing?: Signing;
}

export type PathKey = readonly (string | number)[];

const isContainer = (v: unknown): v is Record<string | number, unknown> =>
  typeof v === 'object' && v !== null && !(v instanceof Raw);

function parentOf(root: unknown, path: PathKey): Record<string | number, unknown> | undefined {
  let node = root;
  for (const key of path.slice(0, -1)) {
    if (!isContainer(node)) return undefined;
    node = node[key];
  }
  return isContainer(node) ? node : undefined;
}

/**
 * Sets a value in the JSON body; false (nothing done) when an earlier fault
 * already replaced a parent or the body is no longer JSON. Keys are defined,
 * not assigned, so `__proto__` becomes a real key as JSON.parse would make it.
 */
export function setIn(d: Draft, path: PathKey, value: unknown): boolean {
  if (d.body.kind !== 'json') return false;
  if (path.length === 0) {
    d.body.value = value;
    return true;
  }
  const parent = parentOf(d.body.value, path);
  if (!parent) return false;
  Object.defineProperty(parent, path[path.length - 1]!, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return true;
}

export function deleteIn(d: Draft, path: PathKey): boolean {
  if (d.body.kind !== 'json') return false;
  const parent = parentOf(d.body.value, path);
  const key = path[path.length - 1]!;
  if (!parent || !(key in parent)) return false;
  delete parent[key];
  return true;
}

export function getIn(d: Draft, path: PathKey): unknown {
  if (d.body.kind !== 'json') return undefined;
  let node = d.body.value;
  for (const key of path) {
    if (!isContainer(node)) return undefined;
    node = node[key];
  }
  return node;
}

/** JSON.stringify, with each Raw spliced in as its bytes. */
export function jsonBytes(value: unknown, suffix = ''): Buffer {
  const raws: Raw[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) =>
    v instanceof Raw ? `\u0001raw${raws.push(v) - 1}\u0001` : v,
  );
  const parts = (text ?? '').split(/"\\u0001raw(\d+)\\u0001"/);
  const out = parts.map((part, i) =>
    i % 2 === 1 ? raws[Number(part)]!.bytes : Buffer.from(part, 'utf8'),
  );
  return Buffer.concat([...out, Buffer.from(suffix, 'utf8')]);
}

export function bodyBytes(body: Body): Buffer | undefined {
  switch (body.kind) {
    case 'none':
      return undefined;
    case 'json':
      return jsonBytes(body.value, body.suffix);
    case 'bytes':
      return body.bytes;
  }
}

export function pathOf(d: Draft): string {
  return `/${d.segments.join('/')}${d.query ? `?${d.query}` : ''}`;
}

export function toRequest(d: Draft, webhookSecret: string): RawRequest {
  const body = bodyBytes(d.body);
  const headers = { ...d.headers };
  const s = d.signing;
  if (s && !s.omit) {
    if (s.header !== undefined) {
      headers['x-carrier-signature'] = s.header;
    } else {
      const t = Math.floor(Date.now() / 1000) + s.skewSeconds;
      headers['x-carrier-signature'] = carrierSignature(
        s.secret ?? webhookSecret,
        {
          method: d.method,
          path: `/${d.segments.join('/')}`,
          body: (body ?? Buffer.alloc(0)).toString('utf8'),
        },
        t,
      );
    }
  }
  const sent = s?.tamper ? Buffer.concat([body ?? Buffer.alloc(0), Buffer.from(s.tamper)]) : body;
  return { method: d.method, path: pathOf(d), headers, body: sent };
}

const UNRESERVED = /^[A-Za-z0-9_.~-]$/;

/** UTF-8 of one code point; a lone surrogate comes out as its WTF-8 bytes (ED A0 80 for U+D800). */
function utf8(cp: number): number[] {
  if (cp < 0x80) return [cp];
  if (cp < 0x800) return [0xc0 | (cp >> 6), 0x80 | (cp & 63)];
  if (cp < 0x10000) return [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
  return [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
}

/**
 * Percent-encodes everything but unreserved characters. Written by hand
 * because encodeURIComponent throws on lone surrogates, which are exactly
 * what a fuzzer wants to send.
 */
export function encodeSegment(s: string): string {
  let out = '';
  for (const ch of s) {
    if (UNRESERVED.test(ch)) out += ch;
    else
      out += utf8(ch.codePointAt(0)!)
        .map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`)
        .join('');
  }
  return out;
}

/** One line per part of the request, short enough to read in a failure report. */
export function describeRequest(req: RawRequest): string {
  const body = req.body ?? Buffer.alloc(0);
  const shown = body.subarray(0, 400).toString('utf8');
  const path =
    req.path.length > 300 ? `${req.path.slice(0, 300)}... (${req.path.length})` : req.path;
  return [
    `${req.method} ${path}`,
    `headers: ${JSON.stringify(req.headers).slice(0, 600)}`,
    `body (${body.length} bytes): ${JSON.stringify(shown)}${body.length > 400 ? '...' : ''}`,
  ].join('\n  ');
}
