/**
 * Backward compatibility of a contract's JSON Schema against its committed
 * version. Consumers validate with the current schema, and replays feed them
 * events archived under the committed one, so at the same schemaVersion a field
 * may be added only as optional, and none may be removed, renamed or retyped
 * (an enum may gain values: every archived value still validates).
 */
type Json = Record<string, unknown>;

interface Field {
  types: string;
  required: boolean;
}

function typeOf(schema: Json): string {
  if (Array.isArray(schema['enum'])) return `enum(${(schema['enum'] as unknown[]).join('|')})`;
  if ('const' in schema) return `const(${String(schema['const'])})`;
  if (Array.isArray(schema['anyOf'])) {
    return (schema['anyOf'] as Json[]).map(typeOf).sort().join('|');
  }
  const type = schema['type'];
  if (Array.isArray(type)) return [...type].sort().join('|');
  return typeof type === 'string' ? type : 'any';
}

/** Flattens a schema to `path -> {type, required}`, e.g. `data.lines[].sku`. */
export function fields(schema: Json, prefix = '', required = true, out = new Map<string, Field>()) {
  if (prefix) out.set(prefix, { types: typeOf(schema), required });
  const props = schema['properties'] as Record<string, Json> | undefined;
  if (props) {
    const req = new Set((schema['required'] as string[] | undefined) ?? []);
    for (const [name, sub] of Object.entries(props)) {
      fields(sub, prefix ? `${prefix}.${name}` : name, req.has(name), out);
    }
  }
  const items = schema['items'] as Json | undefined;
  if (items && !Array.isArray(items)) fields(items, `${prefix}[]`, true, out);
  return out;
}

/** Breaking differences from `committed` to `current`; empty when compatible. */
export function breakingChanges(committed: Json, current: Json): string[] {
  const before = fields(committed);
  const after = fields(current);
  const problems: string[] = [];
  for (const [path, was] of before) {
    const now = after.get(path);
    if (!now) {
      problems.push(`${path} was removed or renamed`);
    } else if (now.types !== was.types && !widensEnum(was.types, now.types)) {
      problems.push(`${path} changed type from ${was.types} to ${now.types}`);
    } else if (now.required && !was.required) {
      problems.push(`${path} became required`);
    }
  }
  for (const [path, now] of after) {
    if (!before.has(path) && now.required && !isUnderNewParent(path, before)) {
      problems.push(`${path} was added as a required field`);
    }
  }
  return problems;
}

/** A required field under a newly added optional object is not itself breaking. */
function isUnderNewParent(path: string, before: Map<string, Field>): boolean {
  const parent = path.replace(/(\.[^.]+|\[\])$/, '');
  return parent !== path && parent !== '' && !before.has(parent);
}

/**
 * An enum that only gained values still accepts every archived event. Consumers
 * must be deployed with the new value before a producer emits it.
 */
function widensEnum(before: string, after: string): boolean {
  const values = (t: string) => /^enum\((.*)\)$/.exec(t)?.[1]?.split('|');
  const was = values(before);
  const now = values(after);
  return !!was && !!now && was.every((v) => now.includes(v));
}
