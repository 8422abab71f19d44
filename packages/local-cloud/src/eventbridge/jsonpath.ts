/**
 * The JSONPath subset EventBridge accepts in `InputPath` and `InputPathsMap`:
 * `$`, dot members (letters, digits, `-`, `_`, `/`, ...), array indices `[n]`
 * and the wildcards `.*` / `[*]`. Bracketed member names (`['a b']`) are not
 * part of it (AWS: "You must use JSON dot notation, not bracket notation").
 * Hand-written because general JSONPath libraries accept far more than AWS
 * does, and a path that works locally must work in AWS.
 */
export type PathSegment =
  { kind: 'member'; name: string } | { kind: 'index'; index: number } | { kind: 'wildcard' };

export interface JsonPath {
  readonly text: string;
  readonly segments: readonly PathSegment[];
  /** A wildcard makes the result a list of every match, as Jayway JSONPath (used by AWS) does. */
  readonly definite: boolean;
}

const MEMBER = /^[^.[\]*\s"'<>]+/;

/** Parses a path, or returns the reason it is not one AWS would evaluate. */
export function parseJsonPath(text: string): JsonPath | string {
  if (!text.startsWith('$')) return `it must start with '$' (received '${text}')`;
  const segments: PathSegment[] = [];
  let rest = text.slice(1);
  while (rest.length > 0) {
    if (rest.startsWith('.*')) {
      segments.push({ kind: 'wildcard' });
      rest = rest.slice(2);
    } else if (rest.startsWith('[*]')) {
      segments.push({ kind: 'wildcard' });
      rest = rest.slice(3);
    } else if (rest.startsWith('.')) {
      const match = MEMBER.exec(rest.slice(1));
      if (!match) return `'${rest}' in '${text}' is not a dot-notation member`;
      segments.push({ kind: 'member', name: match[0] });
      rest = rest.slice(1 + match[0].length);
    } else if (rest.startsWith('[')) {
      const match = /^\[(\d+)\]/.exec(rest);
      if (!match) {
        return `'${rest}' in '${text}' is not an array index; use dot notation for members`;
      }
      segments.push({ kind: 'index', index: Number(match[1]) });
      rest = rest.slice(match[0].length);
    } else {
      return `unexpected '${rest}' in '${text}'`;
    }
  }
  return { text, segments, definite: segments.every((s) => s.kind !== 'wildcard') };
}

/** The value at `path`, or `undefined` when nothing matches. */
export function evaluateJsonPath(path: JsonPath, document: unknown): unknown {
  let current: unknown[] = [document];
  for (const segment of path.segments) {
    const next: unknown[] = [];
    for (const node of current) {
      if (segment.kind === 'member') {
        if (isObject(node) && Object.hasOwn(node, segment.name)) next.push(node[segment.name]);
      } else if (segment.kind === 'index') {
        if (Array.isArray(node) && segment.index < node.length) next.push(node[segment.index]);
      } else if (Array.isArray(node)) {
        next.push(...node);
      } else if (isObject(node)) {
        next.push(...Object.values(node));
      }
    }
    current = next;
  }
  if (!path.definite) return current.length > 0 ? current : undefined;
  return current[0];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
