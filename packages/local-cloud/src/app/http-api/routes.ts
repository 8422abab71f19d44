/**
 * HTTP API route selection, as API Gateway documents it: the most specific
 * route wins (literal segments over `{var}` over a greedy `{proxy+}`), a
 * route with the request's method beats `ANY` on the same path, and
 * `$default` catches whatever matches nothing else.
 */

export interface RouteEntry<T> {
  /** `GET /orders/{orderId}`, `ANY /{proxy+}` or `$default`. */
  readonly routeKey: string;
  readonly target: T;
}

interface Compiled<T> {
  readonly entry: RouteEntry<T>;
  readonly method: string; // '' for $default
  readonly segments: readonly Segment[];
}

type Segment =
  | { kind: 'literal'; value: string }
  | { kind: 'var'; name: string }
  | { kind: 'greedy'; name: string };

export interface RouteMatch<T> {
  readonly entry: RouteEntry<T>;
  readonly pathParameters: Record<string, string>;
}

/** Throws with the route key if it is not `$default` or `METHOD /path`. */
function compile<T>(entry: RouteEntry<T>): Compiled<T> {
  if (entry.routeKey === '$default') return { entry, method: '', segments: [] };
  const m = /^([A-Z]+) (\/.*)$/.exec(entry.routeKey);
  if (!m)
    throw new Error(
      `route key ${JSON.stringify(entry.routeKey)} is not "$default" or "METHOD /path"`,
    );
  const parts = m[2] === '/' ? [] : m[2]!.slice(1).split('/');
  const segments = parts.map((p, i): Segment => {
    const v = /^\{([^}]+?)(\+?)\}$/.exec(p);
    if (!v) return { kind: 'literal', value: p };
    if (v[2] && i !== parts.length - 1)
      throw new Error(`route key ${entry.routeKey}: a greedy variable must be the last segment`);
    return v[2] ? { kind: 'greedy', name: v[1]! } : { kind: 'var', name: v[1]! };
  });
  return { entry, method: m[1]!, segments };
}

const RANK = { literal: 3, var: 2, greedy: 1 } as const;

/** Negative if `a` is the more specific route. */
function compare<T>(a: Compiled<T>, b: Compiled<T>): number {
  const n = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const ra = a.segments[i] ? RANK[a.segments[i]!.kind] : 0;
    const rb = b.segments[i] ? RANK[b.segments[i]!.kind] : 0;
    if (ra !== rb) return rb - ra;
  }
  return (a.method === 'ANY' ? 1 : 0) - (b.method === 'ANY' ? 1 : 0);
}

export class RouteTable<T> {
  private readonly routes: Compiled<T>[] = [];
  private fallback: Compiled<T> | undefined;

  add(entry: RouteEntry<T>): void {
    const c = compile(entry);
    if (c.method === '') {
      if (this.fallback) throw new Error('two $default routes');
      this.fallback = c;
      return;
    }
    if (this.routes.some((r) => r.entry.routeKey === entry.routeKey))
      throw new Error(`two routes with the key ${entry.routeKey}`);
    this.routes.push(c);
    this.routes.sort(compare);
  }

  get size(): number {
    return this.routes.length + (this.fallback ? 1 : 0);
  }

  /** `path` is the raw path (percent-encoded); parameters come out decoded. */
  match(method: string, path: string): RouteMatch<T> | undefined {
    const parts = path === '/' ? [] : path.replace(/^\//, '').split('/');
    for (const r of this.routes) {
      if (r.method !== method && r.method !== 'ANY') continue;
      const params = matchSegments(r.segments, parts);
      if (params) return { entry: r.entry, pathParameters: params };
    }
    return this.fallback ? { entry: this.fallback.entry, pathParameters: {} } : undefined;
  }
}

function matchSegments(
  segments: readonly Segment[],
  parts: readonly string[],
): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    if (s.kind === 'greedy') {
      const rest = parts.slice(i);
      if (rest.length === 0 || rest.join('/') === '') return undefined;
      params[s.name] = decode(rest.join('/'));
      return params;
    }
    const p = parts[i];
    if (p === undefined) return undefined;
    if (s.kind === 'literal') {
      if (decode(p) !== s.value) return undefined;
    } else {
      if (p === '') return undefined;
      params[s.name] = decode(p);
    }
  }
  return parts.length === segments.length ? params : undefined;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
