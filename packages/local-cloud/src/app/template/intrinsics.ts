/**
 * CloudFormation intrinsic functions, resolved the way CloudFormation does at
 * deploy time. Pure: everything the template refers to comes in through a
 * `Scope`, so this module knows nothing about resources or the local cloud.
 */

/** `Ref: AWS::NoValue`: the property (or list element) is removed. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

export interface Scope {
  /** `Ref` to a parameter, pseudo parameter or resource. */
  ref(name: string): unknown;
  /** `Fn::GetAtt` of a resource. */
  getAtt(logicalId: string, attribute: string): unknown;
  /** `Fn::ImportValue` of another stack's export. */
  importValue(exportName: string): unknown;
  /** The value of a named condition (from the template's `Conditions`). */
  condition(name: string): boolean;
  /** The template's `Mappings`, for `Fn::FindInMap`. */
  readonly mappings?: Record<string, Record<string, Record<string, unknown>>>;
  /** Availability zones for `Fn::GetAZs`. */
  readonly region?: string;
}

/** A template that cannot be resolved: says where and what was found. */
export class TemplateError extends Error {
  override name = 'TemplateError';
}

type Json = unknown;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The single `Ref`/`Fn::*`/`Condition` key of an intrinsic object, if it is one. */
function intrinsicKey(v: Record<string, unknown>): string | undefined {
  const keys = Object.keys(v);
  if (keys.length !== 1) return undefined;
  const k = keys[0]!;
  return k === 'Ref' || k.startsWith('Fn::') || k === 'Condition' ? k : undefined;
}

/** Resolves every intrinsic in `value`; NO_VALUE is dropped from objects and arrays. */
export function resolve(value: Json, scope: Scope, path = ''): Json {
  if (Array.isArray(value)) {
    return value.map((v, i) => resolve(v, scope, `${path}[${i}]`)).filter((v) => v !== NO_VALUE);
  }
  if (!isObject(value)) return value;
  const key = intrinsicKey(value);
  // `Condition` is an intrinsic only inside Conditions; elsewhere it is a plain property.
  if (key && key !== 'Condition') return resolveIntrinsic(key, value[key], scope, path);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const r = resolve(v, scope, path ? `${path}.${k}` : k);
    if (r !== NO_VALUE) out[k] = r;
  }
  return out;
}

function asString(v: unknown, fn: string, path: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new TemplateError(
    `${fn} at ${path || 'the root'} expected a string, got ${JSON.stringify(v)}`,
  );
}

function asArray(v: unknown, fn: string, path: string): unknown[] {
  if (Array.isArray(v)) return v;
  throw new TemplateError(
    `${fn} at ${path || 'the root'} expected a list, got ${JSON.stringify(v)}`,
  );
}

function resolveIntrinsic(fn: string, arg: unknown, scope: Scope, path: string): Json {
  const at = `${fn} at ${path || 'the root'}`;
  switch (fn) {
    case 'Ref': {
      const name = asString(arg, fn, path);
      return name === 'AWS::NoValue' ? NO_VALUE : scope.ref(name);
    }
    case 'Fn::GetAtt': {
      // Both forms: ["Res", "Attr.Nested"] and "Res.Attr.Nested".
      const parts =
        typeof arg === 'string'
          ? splitOnce(arg, '.')
          : asArray(resolve(arg, scope, path), fn, path).map((p) => asString(p, fn, path));
      if (parts.length !== 2 || !parts[0] || !parts[1])
        throw new TemplateError(
          `${at}: expected [logicalId, attribute], got ${JSON.stringify(arg)}`,
        );
      return scope.getAtt(parts[0], parts[1]);
    }
    case 'Fn::Join': {
      const [delimiter, list] = asArray(arg, fn, path);
      const items = asArray(resolve(list, scope, path), fn, path);
      return items.map((i) => asString(i, fn, path)).join(asString(delimiter, fn, path));
    }
    case 'Fn::Sub':
      return resolveSub(arg, scope, path);
    case 'Fn::Select': {
      const [index, list] = asArray(arg, fn, path);
      const i = Number(resolve(index, scope, path));
      const items = asArray(resolve(list, scope, path), fn, path);
      if (!Number.isInteger(i) || i < 0 || i >= items.length)
        throw new TemplateError(`${at}: index ${i} is out of range for a list of ${items.length}`);
      return items[i];
    }
    case 'Fn::Split': {
      const [delimiter, source] = asArray(arg, fn, path);
      return asString(resolve(source, scope, path), fn, path).split(asString(delimiter, fn, path));
    }
    case 'Fn::If': {
      const [cond, whenTrue, whenFalse] = asArray(arg, fn, path);
      const chosen = scope.condition(asString(cond, fn, path)) ? whenTrue : whenFalse;
      return resolve(chosen, scope, path);
    }
    case 'Fn::Equals':
    case 'Fn::Not':
    case 'Fn::And':
    case 'Fn::Or':
      return evaluateCondition({ [fn]: arg }, scope, path);
    case 'Fn::ImportValue':
      return scope.importValue(asString(resolve(arg, scope, path), fn, path));
    case 'Fn::FindInMap': {
      const [map, top, second] = asArray(resolve(arg, scope, path), fn, path).map((p) =>
        asString(p, fn, path),
      );
      const found = scope.mappings?.[map!]?.[top!]?.[second!];
      if (found === undefined)
        throw new TemplateError(`${at}: no mapping ${map}.${top}.${second} in the template`);
      return found;
    }
    case 'Fn::GetAZs': {
      const region = asString(resolve(arg, scope, path), fn, path) || scope.region || 'us-east-1';
      return ['a', 'b', 'c'].map((z) => `${region}${z}`);
    }
    case 'Fn::Base64':
      return Buffer.from(asString(resolve(arg, scope, path), fn, path)).toString('base64');
    case 'Fn::Length':
      return asArray(resolve(arg, scope, path), fn, path).length;
    case 'Fn::ToJsonString':
      return JSON.stringify(resolve(arg, scope, path));
    default:
      throw new TemplateError(
        `${at}: the intrinsic function ${fn} is not supported by the local cloud ` +
          `(supported: Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split, Fn::If, ` +
          `Fn::Equals, Fn::Not, Fn::And, Fn::Or, Fn::ImportValue, Fn::FindInMap, Fn::GetAZs, ` +
          `Fn::Base64, Fn::Length, Fn::ToJsonString)`,
      );
  }
}

function splitOnce(s: string, sep: string): string[] {
  const i = s.indexOf(sep);
  return i < 0 ? [s] : [s.slice(0, i), s.slice(i + 1)];
}

/** `Fn::Sub`: "${Name}", "${Res.Attr}", "${!Literal}", with or without a variable map. */
function resolveSub(arg: unknown, scope: Scope, path: string): string {
  const [template, vars] =
    typeof arg === 'string' ? [arg, {}] : (asArray(arg, 'Fn::Sub', path) as [unknown, unknown]);
  const text = asString(template, 'Fn::Sub', path);
  const resolvedVars = isObject(vars)
    ? (resolve(vars, scope, path) as Record<string, unknown>)
    : {};
  return text.replace(/\$\{([^}]*)\}/g, (_m, inner: string) => {
    if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
    const name = inner.trim();
    if (name in resolvedVars) return asString(resolvedVars[name], 'Fn::Sub', path);
    const dot = name.indexOf('.');
    // Pseudo parameters contain "::", never a ".": only resource attributes do.
    const value =
      dot > 0 && !name.startsWith('AWS::')
        ? scope.getAtt(name.slice(0, dot), name.slice(dot + 1))
        : scope.ref(name);
    return asString(value, 'Fn::Sub', path);
  });
}

/** Evaluates a condition expression (`Conditions` section, or a condition function in place). */
export function evaluateCondition(expr: unknown, scope: Scope, path = ''): boolean {
  if (typeof expr === 'boolean') return expr;
  if (expr === 'true' || expr === 'false') return expr === 'true';
  if (!isObject(expr) || !intrinsicKey(expr))
    throw new TemplateError(
      `condition at ${path || 'the root'} is not a condition function: ${JSON.stringify(expr)}`,
    );
  const fn = intrinsicKey(expr)!;
  const arg = expr[fn];
  switch (fn) {
    case 'Condition':
      return scope.condition(asString(arg, fn, path));
    case 'Fn::Equals': {
      const [a, b] = asArray(arg, fn, path).map((v) => resolve(v, scope, path));
      return JSON.stringify(normalise(a)) === JSON.stringify(normalise(b));
    }
    case 'Fn::Not': {
      const [inner] = asArray(arg, fn, path);
      return !evaluateCondition(inner, scope, path);
    }
    case 'Fn::And':
      return asArray(arg, fn, path).every((c) => evaluateCondition(c, scope, path));
    case 'Fn::Or':
      return asArray(arg, fn, path).some((c) => evaluateCondition(c, scope, path));
    default: {
      const v = resolve(expr, scope, path);
      if (typeof v === 'boolean') return v;
      if (v === 'true' || v === 'false') return v === 'true';
      throw new TemplateError(
        `condition at ${path || 'the root'} did not give a boolean: ${JSON.stringify(v)}`,
      );
    }
  }
}

/** CloudFormation compares scalars as strings: 1 equals "1". */
function normalise(v: unknown): unknown {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(normalise);
  return v;
}

/** Every resource a value depends on: `Ref`s, `Fn::GetAtt`s and `${...}` in `Fn::Sub`. */
export function referencedNames(value: Json, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value) referencedNames(v, into);
    return into;
  }
  if (!isObject(value)) return into;
  const key = intrinsicKey(value);
  if (key === 'Ref' && typeof value[key] === 'string') into.add(value[key]);
  else if (key === 'Fn::GetAtt') {
    const arg = value[key];
    const first =
      typeof arg === 'string' ? splitOnce(arg, '.')[0] : Array.isArray(arg) ? arg[0] : undefined;
    if (typeof first === 'string') into.add(first);
    else referencedNames(arg, into);
  } else if (key === 'Fn::Sub') {
    const arg = value[key];
    const [template, vars] = typeof arg === 'string' ? [arg, undefined] : (arg as unknown[]);
    const local = isObject(vars) ? new Set(Object.keys(vars)) : new Set<string>();
    if (typeof template === 'string') {
      for (const m of template.matchAll(/\$\{([^}!][^}]*)\}/g)) {
        const name = m[1]!.trim().split('.')[0]!;
        if (!local.has(name)) into.add(name);
      }
    }
    if (vars !== undefined) referencedNames(vars, into);
  } else {
    for (const v of Object.values(value)) referencedNames(v, into);
  }
  return into;
}
