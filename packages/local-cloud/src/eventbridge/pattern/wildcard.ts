/**
 * `wildcard` operands: `*` matches any run of characters (including none), `\*` a literal star,
 * `\\` a literal backslash; any other escape and two stars in a row are refused.
 */
import { IllegalArgument } from './numbers.js';

export class WildcardSyntaxError extends Error {}

/**
 * Validates an operand the way event-ruler does and splits it at its wildcards. Positions in the
 * messages count UTF-8 bytes of the operand wrapped in quotes, as event-ruler reports them.
 */
export function parseWildcard(operand: string): string[] {
  const segments: string[] = [];
  let current = '';
  for (let i = 0; i < operand.length; i++) {
    const c = operand[i]!;
    if (c === '*') {
      if (operand[i + 1] === '*') {
        throw new WildcardSyntaxError(
          `Consecutive wildcard characters at pos ${bytePos(operand, i)}`,
        );
      }
      segments.push(current);
      current = '';
    } else if (c === '\\') {
      const next = operand[i + 1];
      if (next !== '*' && next !== '\\') {
        throw new WildcardSyntaxError(`Invalid escape character at pos ${bytePos(operand, i)}`);
      }
      current += next;
      i++;
    } else {
      current += c;
    }
  }
  segments.push(current);
  return segments;
}

/** Position of operand[index] in the quoted UTF-8 value event-ruler parses. */
function bytePos(operand: string, index: number): number {
  return 1 + new TextEncoder().encode(operand.slice(0, index)).length;
}

/** A compiled wildcard: no regex, just ordered literal segments (greedy leftmost is exact for `*`). */
export function wildcardMatches(segments: readonly string[], value: string): boolean {
  const first = segments[0]!;
  if (segments.length === 1) return value === first;
  const last = segments[segments.length - 1]!;
  if (value.length < first.length + last.length) return false;
  if (!value.startsWith(first) || !value.endsWith(last)) return false;
  let pos = first.length;
  const end = value.length - last.length;
  for (let i = 1; i < segments.length - 1; i++) {
    const segment = segments[i]!;
    const found = value.indexOf(segment, pos);
    if (found < 0 || found + segment.length > end) return false;
    pos = found + segment.length;
  }
  return true;
}

/**
 * AWS refuses rules whose wildcards could keep too many partial matches alive at once
 * ("Rule is too complex"). event-ruler measures this on its byte automaton: the largest number
 * of wildcard patterns reachable from the states a worst-case input can occupy together. We
 * rebuild that automaton for the wildcards of one field (shared prefix up to the first star,
 * separate paths after it) and search the reachable state sets.
 */
// AWS does not publish the threshold. 10 fits every answer we found recorded from AWS:
// refused:  "*:*:*:*:*:event-bus/*" (10); four values like "*/datasync/*.bif" (16)
// accepted: four values like "*.bif" (8); two values like "*/datasync/*.bif" (8);
//           "/Users/*/dir/dir/dir/dir/dir/doc.txt" (7)
export const WILDCARD_COMPLEXITY_LIMIT = 10;
const STAR = -1;
const MAX_STATE_SETS = 20_000; // keeps a hostile pattern from stalling PutRule

interface State {
  readonly literal: Map<number, number[]>;
  readonly prefix: Map<number, number>;
  any: number;
  prefixStar: number;
  readonly weight: Set<number>;
}

export function wildcardComplexity(operands: readonly string[]): number {
  if (operands.length === 0) return 0;
  const states: State[] = [newState()];
  const alphabet = new Set<number>();
  operands.forEach((operand, id) => addPattern(states, alphabet, tokens(operand), id));
  const bytes = [STAR, ...alphabet]; // STAR stands for any byte no pattern names
  const seen = new Set<string>();
  let pending: number[][] = [[0]];
  let maximum = 0;
  while (pending.length > 0 && seen.size < MAX_STATE_SETS) {
    const nextRound: number[][] = [];
    for (const active of pending) {
      for (const b of bytes) {
        const next = step(states, active, b);
        if (next.size === 0) continue;
        let size = 0;
        for (const id of next) {
          const state = states[id]!;
          size += state.weight.size;
          if (state.any >= 0 && !next.has(state.any)) size += states[state.any]!.weight.size;
        }
        if (size >= WILDCARD_COMPLEXITY_LIMIT) return size;
        maximum = Math.max(maximum, size);
        const sorted = [...next].sort((x, y) => x - y);
        const key = sorted.join(',');
        if (!seen.has(key)) {
          seen.add(key);
          nextRound.push(sorted);
        }
      }
    }
    pending = nextRound;
  }
  return maximum;
}

function step(states: State[], active: number[], b: number): Set<number> {
  const next = new Set<number>();
  for (const id of active) {
    const state = states[id]!;
    if (state.any >= 0) next.add(state.any);
    if (b !== STAR) for (const target of state.literal.get(b) ?? []) next.add(target);
  }
  return next;
}

function addPattern(states: State[], alphabet: Set<number>, toks: number[], id: number): void {
  let current = 0;
  let beforeStar = -1;
  let shared = true; // still on the prefix shared by all patterns (up to the first star)
  for (let i = 0; i < toks.length; i++) {
    const tok = toks[i]!;
    const state = states[current]!;
    if (tok === STAR) {
      let star = shared ? state.prefixStar : -1;
      if (star < 0) {
        star = states.push(newState()) - 1;
        states[star]!.any = star;
        state.any = star;
        if (shared) state.prefixStar = star;
      }
      shared = false;
      states[star]!.weight.add(id);
      beforeStar = current;
      current = star;
      continue;
    }
    alphabet.add(tok);
    let next = shared ? (state.prefix.get(tok) ?? -1) : -1;
    if (next < 0) {
      next = states.push(newState()) - 1;
      addLiteral(state, tok, next);
      if (shared) state.prefix.set(tok, next);
      // A star may match nothing: the byte after it is also reachable from before it.
      if (toks[i - 1] === STAR) addLiteral(states[beforeStar]!, tok, next);
    }
    states[next]!.weight.add(id);
    current = next;
  }
}

function addLiteral(state: State, byte: number, target: number): void {
  const targets = state.literal.get(byte);
  if (targets) targets.push(target);
  else state.literal.set(byte, [target]);
}

function newState(): State {
  return { literal: new Map(), prefix: new Map(), any: -1, prefixStar: -1, weight: new Set() };
}

/** The UTF-8 bytes event-ruler feeds its automaton: the value in quotes, STAR for each `*`. */
function tokens(operand: string): number[] {
  const out: number[] = [0x22];
  const encoder = new TextEncoder();
  parseWildcardTokens(operand).forEach((part) => {
    if (part === null) out.push(STAR);
    else out.push(...encoder.encode(part));
  });
  out.push(0x22);
  return out;
}

function parseWildcardTokens(operand: string): (string | null)[] {
  const segments = parseWildcard(operand);
  const out: (string | null)[] = [];
  segments.forEach((segment, i) => {
    if (i > 0) out.push(null);
    if (segment) out.push(segment);
  });
  return out;
}

/** Raised when a rule's wildcards are too complex; AWS reports it without a location. */
export function tooComplex(): IllegalArgument {
  return new IllegalArgument(
    'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character',
  );
}
