/**
 * A small evaluator of identity-based IAM policies: Allow/Deny statements with
 * Action/NotAction and Resource/NotResource, `*` and `?` wildcards. An explicit
 * Deny wins, then any Allow, else the request is implicitly denied, as in IAM.
 * Conditions are not evaluated: a statement with one applies as if it held.
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

export type Decision = 'allow' | 'explicit-deny' | 'implicit-deny';

export function evaluate(
  documents: readonly PolicyDocument[],
  action: string,
  resource: string,
): Decision {
  let allowed = false;
  for (const doc of documents) {
    const statements = doc.Statement === undefined ? [] : [doc.Statement].flat();
    for (const s of statements as PolicyStatement[]) {
      if (!applies(s, action, resource)) continue;
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
