/**
 * Fault injection for the local cloud: a plan (rates of each fault, a seed)
 * and the injector the hooks in Lambda, SQS and EventBridge ask "fault now?".
 *
 * Every kind of fault draws from its own seeded stream, so the i-th decision
 * of a kind depends only on the seed and i: the same seed gives the same
 * sequence of decisions per kind, and raising a rate only adds faults (a draw
 * `u < rate` stays true for a larger rate). Which delivery or invocation meets
 * the i-th decision depends on the order things happen in, which concurrent
 * work does not fix.
 */
import { seededRandom } from '../core/random.js';

export interface FaultPlan {
  /** Same seed -> same sequence of fault decisions per kind. */
  seed: number;
  /** 0..1: an invocation throws before the handler runs (as a crashed handler: the whole batch fails). */
  handlerErrorRate: number;
  /** 0..1: an invocation hangs until its function timeout (Sandbox.Timedout). */
  handlerTimeoutRate: number;
  /** 0..1: the worker is terminated mid-invocation (after the handler started). */
  killWorkerRate: number;
  /** 0..1: a delivery is made twice (EventBridge targets; SQS messages come back after a delete). */
  duplicateRate: number;
  /** Deliveries to targets (and SQS duplicates) get a random extra delay 0..N ms. */
  reorderMaxDelayMs: number;
  /** 0..1: PutEvents entries answered with ErrorCode ThrottlingException, not put on the bus. */
  putEventsThrottleRate: number;
  /** Only functions whose name or label contains one of these; default all. */
  functions?: string[];
}

export type FaultKind =
  'handlerError' | 'handlerTimeout' | 'killWorker' | 'duplicate' | 'putEventsThrottle';

export const NO_FAULTS: FaultPlan = Object.freeze({
  seed: 0,
  handlerErrorRate: 0,
  handlerTimeoutRate: 0,
  killWorkerRate: 0,
  duplicateRate: 0,
  reorderMaxDelayMs: 0,
  putEventsThrottleRate: 0,
}) as FaultPlan;

/** Upper bound of `reorderMaxDelayMs`: reordering needs milliseconds to seconds, not minutes. */
export const MAX_REORDER_DELAY_MS = 60_000;
/** A killed worker dies at most this long after its handler started (or when the handler ends, if sooner). */
export const KILL_WINDOW_MS = 100;

const RATE_OF: Record<FaultKind, keyof FaultPlan> = {
  handlerError: 'handlerErrorRate',
  handlerTimeout: 'handlerTimeoutRate',
  killWorker: 'killWorkerRate',
  duplicate: 'duplicateRate',
  putEventsThrottle: 'putEventsThrottleRate',
};
const FUNCTION_KINDS: ReadonlySet<FaultKind> = new Set([
  'handlerError',
  'handlerTimeout',
  'killWorker',
]);
const RATE_FIELDS = Object.values(RATE_OF);
const FIELDS = ['seed', ...RATE_FIELDS, 'reorderMaxDelayMs', 'functions'];

/** A plan that is not valid; `field` names the first field at fault. */
export class FaultPlanError extends Error {
  override name = 'FaultPlanError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Checks a plan from JSON or code and returns it as a Partial<FaultPlan>.
 * Hand-written rather than a zod schema so each message names the field, the
 * range it takes and what was received, in plain words.
 */
export function checkPlan(input: unknown): Partial<FaultPlan> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new FaultPlanError(
      '(body)',
      `A fault plan is a JSON object with some of ${FIELDS.join(', ')}; received ${show(input)}.`,
    );
  }
  const plan = input as Record<string, unknown>;
  const out: Partial<FaultPlan> = {};
  for (const [field, value] of Object.entries(plan)) {
    if (value === undefined) continue;
    if (field === 'seed') {
      if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > 0xffffffff) {
        throw bad(field, 'an integer from 0 to 4294967295', value);
      }
      out.seed = value as number;
    } else if ((RATE_FIELDS as string[]).includes(field)) {
      if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
        throw bad(field, 'a number from 0 to 1 (a probability)', value);
      }
      (out as Record<string, number>)[field] = value;
    } else if (field === 'reorderMaxDelayMs') {
      if (
        !Number.isInteger(value) ||
        (value as number) < 0 ||
        (value as number) > MAX_REORDER_DELAY_MS
      ) {
        throw bad(
          field,
          `an integer number of milliseconds from 0 to ${MAX_REORDER_DELAY_MS}`,
          value,
        );
      }
      out.reorderMaxDelayMs = value as number;
    } else if (field === 'functions') {
      if (!Array.isArray(value) || value.some((f) => typeof f !== 'string' || f === '')) {
        throw bad(field, 'a list of non-empty strings (parts of function names or labels)', value);
      }
      out.functions = [...(value as string[])];
    } else {
      throw new FaultPlanError(
        field,
        `Unknown fault plan field '${field}'; the fields are ${FIELDS.join(', ')}.`,
      );
    }
  }
  return out;
}

function bad(field: string, expected: string, value: unknown): FaultPlanError {
  return new FaultPlanError(field, `${field} must be ${expected}; received ${show(value)}.`);
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** FNV-1a: a stable 32-bit number per stream name, to derive each stream's seed. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export interface FaultStats extends Record<string, number> {
  handlerError: number;
  handlerTimeout: number;
  killWorker: number;
  duplicate: number;
  putEventsThrottle: number;
  /** Deliveries given a non-zero reordering delay. */
  delayed: number;
}

const zeroStats = (): FaultStats => ({
  handlerError: 0,
  handlerTimeout: 0,
  killWorker: 0,
  duplicate: 0,
  putEventsThrottle: 0,
  delayed: 0,
});

/**
 * What the hooks ask. Disabled until a plan is set; `enabled()` is the only
 * call a hook makes on its hot path while faults are off.
 */
export class FaultInjector {
  private current: FaultPlan = NO_FAULTS;
  private on = false;
  private readonly streams = new Map<string, () => number>();
  private counts = zeroStats();

  /** With a plan, faults are on from the start; without, off until `set`. */
  constructor(plan?: Partial<FaultPlan>) {
    if (plan) this.set(plan);
  }

  /**
   * Turns faults on with `plan` merged over NO_FAULTS (not over the previous
   * plan). Restarts every stream from the seed and zeroes the counts.
   * Throws FaultPlanError on an invalid plan, leaving the injector as it was.
   */
  set(plan: Partial<FaultPlan>): void {
    const checked = checkPlan(plan);
    this.current = { ...NO_FAULTS, ...checked };
    this.streams.clear();
    this.counts = zeroStats();
    this.on = true;
  }

  /** Faults off. The plan and counts stay readable; deliveries already delayed still arrive. */
  clear(): void {
    this.on = false;
  }

  plan(): FaultPlan {
    const p = { ...this.current };
    if (p.functions) p.functions = [...p.functions];
    return p;
  }

  enabled(): boolean {
    return this.on;
  }

  /**
   * Draws the next decision for one kind: deterministic given the seed and the
   * number of draws of that kind so far. For the function kinds `subject` is
   * the function's name and label (e.g. joined by a newline): a plan with
   * `functions` only draws, and only faults, when the subject contains one of them.
   */
  roll(kind: FaultKind, subject?: string): boolean {
    if (!this.on) return false;
    const functions = this.current.functions;
    if (FUNCTION_KINDS.has(kind) && functions?.length && subject !== undefined) {
      if (!functions.some((f) => subject.includes(f))) return false;
    }
    const rate = this.current[RATE_OF[kind]] as number;
    const hit = this.stream(kind)() < rate;
    if (hit) this.counts[kind]++;
    return hit;
  }

  /** A delay for reordering: 0..reorderMaxDelayMs, from its own seeded stream. */
  delayMs(): number {
    const max = this.current.reorderMaxDelayMs;
    if (!this.on || max === 0) return 0;
    const ms = Math.floor(this.stream('delay')() * (max + 1));
    if (ms > 0) this.counts.delayed++;
    return ms;
  }

  /** When a killed worker dies: 0..min(limitMs, KILL_WINDOW_MS) ms after the handler starts. */
  killAfterMs(limitMs = KILL_WINDOW_MS): number {
    const max = Math.max(0, Math.min(limitMs, KILL_WINDOW_MS));
    return Math.floor(this.stream('killAfter')() * (max + 1));
  }

  /** Faults injected per kind since the plan was set. */
  stats(): FaultStats {
    return { ...this.counts };
  }

  private stream(name: string): () => number {
    let s = this.streams.get(name);
    if (!s) {
      s = seededRandom((this.current.seed ^ hash(name)) >>> 0);
      this.streams.set(name, s);
    }
    return s;
  }
}
