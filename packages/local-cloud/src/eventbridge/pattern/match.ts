/**
 * Matching an event against compiled sub-rules, with event-ruler's semantics:
 * - an event is read as leaf values keyed by dot-joined path; arrays are "crushed out", so a
 *   field matches when any of its leaf values matches (an empty array has no leaf values);
 * - `exists` looks at leaf values only: an object-valued field does not exist for it;
 * - fields inside objects that are elements of the same array must come from the same element
 *   (event-ruler's `rulesForJSONEvent`): `{"a": {"x": [1], "y": [2]}}` does not match
 *   `{"a": [{"x": 1}, {"y": 2}]}`;
 * - `{"exists": false}` holds when the path has no leaf value anywhere in the event.
 */
import type { FieldSpec, SubRule } from './compile.js';
import type { Scalar } from './values.js';

interface Leaf {
  readonly value: Scalar;
  /** Pairs of (array id, element index) for every array the value sits in; null if none. */
  readonly arrays: readonly number[] | null;
}

export interface MatchPlan {
  readonly subRules: readonly SubRule[];
  /** Every path, and every dot-boundary prefix of one, that a sub-rule reads. */
  readonly prefixes: ReadonlySet<string>;
  readonly leafPaths: ReadonlySet<string>;
}

export function planFor(subRules: readonly SubRule[]): MatchPlan {
  const prefixes = new Set<string>();
  const leafPaths = new Set<string>();
  for (const subRule of subRules) {
    for (const field of subRule) {
      leafPaths.add(field.path);
      let at = field.path.indexOf('.');
      while (at >= 0) {
        prefixes.add(field.path.slice(0, at));
        at = field.path.indexOf('.', at + 1);
      }
      prefixes.add(field.path);
    }
  }
  return { subRules, prefixes, leafPaths };
}

export function matches(plan: MatchPlan, event: unknown): boolean {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) return false;
  const leaves = collectLeaves(plan, event as Record<string, unknown>);
  const candidates = new Map<FieldSpec, Leaf[]>();
  return plan.subRules.some((subRule) => subRuleMatches(subRule, leaves, candidates));
}

function collectLeaves(plan: MatchPlan, event: Record<string, unknown>): Map<string, Leaf[]> {
  const out = new Map<string, Leaf[]>();
  let nextArrayId = 0;
  const visit = (node: unknown, path: string, arrays: readonly number[] | null): void => {
    if (Array.isArray(node)) {
      const id = nextArrayId++;
      node.forEach((element, index) => visit(element, path, [...(arrays ?? []), id, index]));
    } else if (node !== null && typeof node === 'object') {
      visitObject(node as Record<string, unknown>, path, arrays);
    } else if (plan.leafPaths.has(path) && isScalar(node)) {
      let list = out.get(path);
      if (!list) out.set(path, (list = []));
      list.push({ value: node, arrays });
    }
  };
  const visitObject = (
    node: Record<string, unknown>,
    path: string,
    arrays: readonly number[] | null,
  ): void => {
    for (const key of Object.keys(node)) {
      const child = path === '' ? key : `${path}.${key}`;
      if (plan.prefixes.has(child)) visit(node[key], child, arrays);
    }
  };
  visitObject(event, '', null);
  return out;
}

function isScalar(value: unknown): value is Scalar {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

function subRuleMatches(
  subRule: SubRule,
  leaves: Map<string, Leaf[]>,
  cache: Map<FieldSpec, Leaf[]>,
): boolean {
  const constrained: Leaf[][] = [];
  for (const field of subRule) {
    let found = cache.get(field);
    if (found === undefined) {
      found = (leaves.get(field.path) ?? []).filter((leaf) =>
        field.tests.some((test) => test.test(leaf.value)),
      );
      cache.set(field, found);
    }
    if (found.length === 0) {
      if (field.absent && !leaves.has(field.path)) continue;
      return false;
    }
    // A match outside any array constrains nothing.
    if (found.some((leaf) => leaf.arrays === null)) continue;
    constrained.push(found);
  }
  if (constrained.length < 2) return true;
  constrained.sort((a, b) => a.length - b.length);
  return consistent(constrained, 0, new Map());
}

/** Picks one leaf per field so that every shared array is entered at the same element. */
function consistent(fields: Leaf[][], index: number, chosen: Map<number, number>): boolean {
  if (index === fields.length) return true;
  for (const leaf of fields[index]!) {
    const arrays = leaf.arrays!;
    const added: number[] = [];
    let ok = true;
    for (let i = 0; i < arrays.length; i += 2) {
      const id = arrays[i]!;
      const element = arrays[i + 1]!;
      const previous = chosen.get(id);
      if (previous === undefined) {
        chosen.set(id, element);
        added.push(id);
      } else if (previous !== element) {
        ok = false;
        break;
      }
    }
    if (ok && consistent(fields, index + 1, chosen)) return true;
    for (const id of added) chosen.delete(id);
  }
  return false;
}
