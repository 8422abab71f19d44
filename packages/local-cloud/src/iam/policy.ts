/**
 * A small evaluator of identity-based IAM policies: Allow/Deny statements with
 * Action/NotAction and Resource/NotResource, `*` and `?` wildcards, and the
 * string condition operators (StringEquals, StringNotEquals, StringLike,
 * StringNotLike, their IgnoreCase/IfExists forms, and ForAnyValue:/ForAllValues:
 * over multivalued keys) against the request's condition keys. An explicit Deny
 * wins, then any Allow, else the request is implicitly denied, as in IAM.
 * Operators outside that set are not evaluated: such a condition holds.
 */
export interface PolicyStatement {
  readonly Effect?: unknown;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
  readonly Condition?: unknown;
}

export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement?: PolicyStatement | readonly PolicyStatement[];
}

/**
 * The request's condition keys and their values, e.g.
 * `{ 'kms:EncryptionContext:field': 'paymentToken' }`; key names compare
 * case-insensitively, values case-sensitively, as in IAM.
 */
export type RequestContext = Readonly<Record<string, string | readonly string[]>>;

export type Decision = 'allow' | 'explicit-deny' | 'implicit-deny';

export function evaluate(
  documents: readonly PolicyDocument[],
  action: string,
  resource: string,
  context: RequestContext = {},
): Decision {
  let allowed = false;
  for (const doc of documents) {
    const statements = doc.Statement === undefined ? [] : [doc.Statement].flat();
    for (const s of statements as PolicyStatement[]) {
      if (!applies(s, action, resource) || !conditionsHold(s.Condition, context)) continue;
      if (s.Effect === 'Deny') return 'explicit-deny';
      if (s.Effect === 'Allow') allowed = true;
    }
  }
  return allowed ? 'allow' : 'implicit-deny';
}

function applies(s: PolicyStatement, action: string, resource: string): boolean {
  const actionOk =
    s.Action !== undefined
      ? list(s.Action).some((p) => matches(p, action, true))
      : s.NotAction !== undefined && !list(s.NotAction).some((p) => matches(p, action, true));
  if (!actionOk) return false;
  if (s.Resource !== undefined) return list(s.Resource).some((p) => matches(p, resource, false));
  if (s.NotResource !== undefined)
    return !list(s.NotResource).some((p) => matches(p, resource, false));
  return false;
}

/** Every operator's every key must hold (AND); a key's policy values are alternatives (OR). */
function conditionsHold(condition: unknown, context: RequestContext): boolean {
  if (typeof condition !== 'object' || condition === null) return true;
  const values = lowerCaseKeys(context);
  for (const [operator, keys] of Object.entries(condition as Record<string, unknown>)) {
    const op = parseOperator(operator);
    if (!op || typeof keys !== 'object' || keys === null) continue;
    for (const [key, wanted] of Object.entries(keys as Record<string, unknown>)) {
      const present = values.get(key.toLowerCase());
      if (!keyHolds(op, present === undefined ? undefined : [present].flat(), list(wanted)))
        return false;
    }
  }
  return true;
}

interface Operator {
  readonly set: 'single' | 'any' | 'all';
  readonly negated: boolean;
  readonly like: boolean;
  readonly ignoreCase: boolean;
  readonly ifExists: boolean;
}

const STRING_OPERATOR =
  /^(?:(ForAnyValue|ForAllValues):)?String(Not)?(Equals|EqualsIgnoreCase|Like)(IfExists)?$/;

function parseOperator(name: string): Operator | undefined {
  const m = STRING_OPERATOR.exec(name);
  if (!m) return undefined;
  return {
    set: m[1] === 'ForAnyValue' ? 'any' : m[1] === 'ForAllValues' ? 'all' : 'single',
    negated: m[2] !== undefined,
    like: m[3] === 'Like',
    ignoreCase: m[3] === 'EqualsIgnoreCase',
    ifExists: m[4] !== undefined,
  };
}

function keyHolds(op: Operator, present: string[] | undefined, wanted: string[]): boolean {
  const one = (v: string) => {
    const hit = wanted.some((w) =>
      op.like
        ? matches(w, v, false)
        : op.ignoreCase
          ? w.toLowerCase() === v.toLowerCase()
          : w === v,
    );
    return op.negated ? !hit : hit;
  };
  // IAM: ForAllValues holds over an absent (or empty) key; ForAnyValue does not.
  if (op.set === 'all') return (present ?? []).every(one);
  if (present === undefined || present.length === 0)
    return op.ifExists || (op.set === 'single' && op.negated);
  return op.set === 'any' ? present.some(one) : present.every(one);
}

function lowerCaseKeys(context: RequestContext): Map<string, string | readonly string[]> {
  return new Map(Object.entries(context).map(([k, v]) => [k.toLowerCase(), v]));
}

function list(v: unknown): string[] {
  return [v].flat().filter((x): x is string => typeof x === 'string');
}

/** IAM wildcards: `*` any run of characters, `?` one; actions compare case-insensitively. */
export function matches(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'si' : 's').test(value);
}
