/**
 * CloudWatch Logs filter patterns, the common forms: terms (`ERROR`,
 * `"exact phrase"`, `-excluded`, `?any ?of`), and JSON selectors
 * (`{ $.a.b = "x" }`, `!=`, numbers with `< <= > >=`, `*` wildcards in
 * strings, `&&` / `||`, `EXISTS`, `NOT EXISTS`). Other forms (space-delimited
 * `[a, b]`, regular expressions) are refused with a message saying so.
 */
import { AwsError } from '../core/errors.js';

export type LogMatcher = (message: string) => boolean;

export function compileFilterPattern(pattern: string | undefined): LogMatcher {
  const text = (pattern ?? '').trim();
  if (text === '') return () => true;
  if (text.startsWith('{')) return jsonPattern(text);
  if (text.startsWith('[') || text.startsWith('%'))
    throw new AwsError(
      'InvalidParameterException',
      `The local CloudWatch Logs does not emulate space-delimited or regular-expression filter patterns; received '${text}'. ` +
        'It emulates terms ("ERROR", "exact phrase", -excluded, ?either ?or) and JSON selectors ({ $.field = "value" }).',
    );
  return termPattern(text);
}

/** Terms: all must appear (case-sensitive, as in CloudWatch), `-t` must not, `?t` any one of. */
function termPattern(text: string): LogMatcher {
  const tokens = [...text.matchAll(/([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))/g)].map((m) => ({
    kind: m[1] === '?' ? 'any' : m[1] === '-' ? 'not' : 'all',
    term: m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!,
  }));
  const all = tokens.filter((t) => t.kind === 'all').map((t) => t.term);
  const not = tokens.filter((t) => t.kind === 'not').map((t) => t.term);
  const any = tokens.filter((t) => t.kind === 'any').map((t) => t.term);
  return (m) =>
    all.every((t) => m.includes(t)) &&
    !not.some((t) => m.includes(t)) &&
    (any.length === 0 || any.some((t) => m.includes(t)));
}

type Condition = (doc: unknown) => boolean;

function jsonPattern(text: string): LogMatcher {
  if (!text.endsWith('}')) throw invalid(text, 'a JSON filter pattern is enclosed in { and }');
  const body = text.slice(1, -1).trim();
  const condition = parseOr(body, text);
  return (message) => {
    const start = message.indexOf('{');
    if (start < 0) return false;
    let doc: unknown;
    try {
      doc = JSON.parse(message.slice(start));
    } catch {
      return false;
    }
    return condition(doc);
  };
}

function parseOr(expr: string, whole: string): Condition {
  const parts = splitTop(expr, '||');
  if (parts.length > 1) {
    const cs = parts.map((p) => parseOr(p, whole));
    return (d) => cs.some((c) => c(d));
  }
  const ands = splitTop(expr, '&&');
  if (ands.length > 1) {
    const cs = ands.map((p) => parseOr(p, whole));
    return (d) => cs.every((c) => c(d));
  }
  const e = expr.trim();
  if (e.startsWith('(') && e.endsWith(')')) return parseOr(e.slice(1, -1), whole);
  return parseComparison(e, whole);
}

/** Splits on `op` outside quotes and parentheses. */
function splitTop(expr: string, op: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let last = 0;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (c === '"' && expr[i - 1] !== '\\') quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0 && expr.startsWith(op, i)) {
      out.push(expr.slice(last, i));
      last = i + op.length;
      i += op.length - 1;
    }
  }
  out.push(expr.slice(last));
  return out;
}

const COMPARISON =
  /^\$((?:\.[A-Za-z0-9_@-]+|\[\d+\])+)\s*(?:(=|!=|<=|>=|<|>)\s*(.+)|(NOT\s+EXISTS|EXISTS|IS\s+NULL|IS\s+TRUE|IS\s+FALSE))$/;

function parseComparison(e: string, whole: string): Condition {
  const m = COMPARISON.exec(e);
  if (!m) throw invalid(whole, `cannot read the selector '${e}' (expected $.field = value)`);
  const path = [...m[1]!.matchAll(/\.([A-Za-z0-9_@-]+)|\[(\d+)\]/g)].map(
    (p) => p[1] ?? Number(p[2]),
  );
  const get = (d: unknown): unknown =>
    path.reduce<unknown>(
      (o, k) =>
        o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined,
      d,
    );
  const unary = m[4]?.replace(/\s+/g, ' ');
  if (unary === 'EXISTS') return (d) => get(d) !== undefined;
  if (unary === 'NOT EXISTS') return (d) => get(d) === undefined;
  if (unary === 'IS NULL') return (d) => get(d) === null;
  if (unary === 'IS TRUE') return (d) => get(d) === true;
  if (unary === 'IS FALSE') return (d) => get(d) === false;
  const op = m[2]!;
  const raw = m[3]!.trim();
  if (raw.startsWith('"')) {
    if (op !== '=' && op !== '!=') throw invalid(whole, `${op} compares numbers, not strings`);
    const wanted = wildcard(JSON.parse(raw) as string);
    return (d) => {
      const v = get(d);
      const hit = typeof v === 'string' && wanted.test(v);
      return op === '=' ? hit : v !== undefined && !hit;
    };
  }
  if (raw === 'true' || raw === 'false' || raw === 'null') {
    const wanted = JSON.parse(raw) as unknown;
    return (d) => (op === '=' ? get(d) === wanted : get(d) !== wanted);
  }
  const n = Number(raw);
  if (Number.isNaN(n)) {
    // An unquoted word compares as a string, as CloudWatch accepts `{ $.level = ERROR }`.
    const wanted = wildcard(raw);
    return (d) => {
      const v = get(d);
      const hit = typeof v === 'string' && wanted.test(v);
      return op === '=' ? hit : op === '!=' ? v !== undefined && !hit : false;
    };
  }
  return (d) => {
    const v = get(d);
    if (typeof v !== 'number') return false;
    switch (op) {
      case '=':
        return v === n;
      case '!=':
        return v !== n;
      case '<':
        return v < n;
      case '<=':
        return v <= n;
      case '>':
        return v > n;
      default:
        return v >= n;
    }
  };
}

function wildcard(s: string): RegExp {
  return new RegExp(
    `^${s
      .split('*')
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

function invalid(pattern: string, why: string): AwsError {
  return new AwsError('InvalidParameterException', `Invalid filter pattern '${pattern}': ${why}.`);
}
