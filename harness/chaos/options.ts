import type { FaultPlan } from '@shop/local-cloud';
import { parseOrderDeadline } from '../../infra/shop.js';

/**
 * What a chaos run does and how long it may wait for anything. Every duration
 * is here, so a small run (the test) is small and a large one is patient.
 */
export interface ChaosOptions {
  /** Orders the shoppers place (each with its own Idempotency-Key). */
  orders: number;
  /** Shoppers working at once. */
  concurrency: number;
  /** Seed of the shopper script, the fault schedule and the provider's draws. */
  seed: number;

  /**
   * Probability that an invocation of a function fails: 70% of it thrown
   * errors, 20% timeouts, 10% a killed worker (unless `killRate` is given).
   */
  handlerFaultRate: number;
  /** Probability that a worker is killed mid-batch; default: a tenth of `handlerFaultRate`. */
  killRate?: number;
  /** Probability that an SQS message is delivered twice. */
  duplicateRate: number;
  /** Deliveries are held back a random 0..reorderMs, so they overtake each other. */
  reorderMs: number;
  /** Probability that a PutEvents entry fails as throttled (partial failure). */
  throttleRate: number;
  /** Only these functions (logical ids or names) get handler faults; default all. */
  functions?: string[];

  /** The payment provider is down this long, starting when 30% of the orders are placed. */
  outageSeconds: number;
  /**
   * CDK context orderDeadline of the shop it boots (`20s`, `15m`): with an outage longer than
   * it, orders placed during the outage time out (TIMED_OUT) and must still settle and conserve
   * money and stock. Default: the app's (15m). Ignored with `target` (the shop is already deployed).
   */
  orderDeadline?: string;
  /** Provider latency while shopping. */
  slowMs: number;
  /** Probability that the provider declines a tok_approve charge. */
  declineRate: number;
  /** Share of orders paid with tok_decline. */
  declineTokenShare: number;

  /**
   * Visibility timeout (s) set on every subscription queue for the run and
   * restored after: a failed message comes back this soon instead of after the
   * deployed 60-180 s. 0 keeps the deployed values.
   */
  visibilitySeconds: number;

  /** Drive an already running shop instead of booting one (`npm start`). */
  target?: ExternalTarget;

  /** Archive replay after the checks (and its no-change check). */
  replay: boolean;

  /** Cloud assembly folder of the shop it boots (the provider's port is in it). */
  cdkOut?: string;
  /** Also log the shop's own lines (function failures, pollers) after boot. */
  verbose?: boolean;
  /** Every line the functions print, with the function's label (own shop only); default dropped. */
  functionLog?: (label: string, line: string) => void;

  timing: ChaosTiming;
  /** Progress lines; default none. */
  log?: (line: string) => void;
  /** Stops the run cleanly between phases (Ctrl-C). */
  signal?: AbortSignal;
}

export interface ExternalTarget {
  /** The AWS endpoint of the local cloud, e.g. http://127.0.0.1:4566. */
  endpoint: string;
  /** The HTTP API, e.g. http://127.0.0.1:3000. */
  apiUrl: string;
  /** The payment provider simulator, e.g. http://127.0.0.1:4010. */
  providerUrl: string;
  /** The carrier webhook's HMAC key; read from Secrets Manager when absent. */
  webhookSecret?: string;
}

export interface ChaosTiming {
  /** Queues empty and no new event on the bus for this long = settled. */
  quietMs: number;
  /** Give up settling after this long (a violation: the system never went quiet). */
  settleTimeoutMs: number;
  /** How long a shopper waits for its order to be CONFIRMED (or shipped) before it moves on. */
  followUpTimeoutMs: number;
  /** Shoppers' polling period. */
  pollMs: number;
  /** Attempts of one HTTP call that answers 5xx / 429 / network errors, with the same key. */
  httpAttempts: number;
  /** Abort one HTTP call after this long. */
  httpTimeoutMs: number;
  /** Redrive-then-settle rounds before DLQs that keep filling are reported. */
  maxRedriveRounds: number;
  /** Give up on the archive replay after this long. */
  replayTimeoutMs: number;
}

/** The done-means mix: 20% handler faults, 10% duplicates, 2 s reordering, a 30 s outage. */
export const DEFAULT_OPTIONS: Omit<ChaosOptions, 'timing'> & { timing: ChaosTiming } = {
  orders: 2000,
  concurrency: 20,
  seed: 1,
  handlerFaultRate: 0.2,
  duplicateRate: 0.1,
  reorderMs: 2000,
  throttleRate: 0.05,
  outageSeconds: 30,
  slowMs: 0,
  declineRate: 0,
  declineTokenShare: 0.1,
  visibilitySeconds: 10,
  replay: true,
  timing: {
    quietMs: 4000,
    settleTimeoutMs: 15 * 60_000,
    followUpTimeoutMs: 60_000,
    pollMs: 400,
    httpAttempts: 30,
    httpTimeoutMs: 30_000,
    maxRedriveRounds: 5,
    replayTimeoutMs: 30 * 60_000,
  },
};

export type ChaosInput = Partial<Omit<ChaosOptions, 'timing'>> & { timing?: Partial<ChaosTiming> };

/** Defaults filled in and every value checked; errors name the option and what was received. */
export function resolveOptions(input: ChaosInput = {}): ChaosOptions {
  const options: ChaosOptions = {
    ...DEFAULT_OPTIONS,
    ...withoutUndefined(input),
    timing: { ...DEFAULT_OPTIONS.timing, ...withoutUndefined(input.timing ?? {}) },
  };
  const rate = (name: string, v: number | undefined) => {
    if (v !== undefined && !(v >= 0 && v <= 1)) {
      throw new Error(`${name} must be a probability from 0 to 1; received ${v}.`);
    }
  };
  const whole = (name: string, v: number, min: number) => {
    if (!Number.isInteger(v) || v < min) {
      throw new Error(`${name} must be a whole number of ${min} or more; received ${v}.`);
    }
  };
  whole('orders', options.orders, 1);
  whole('concurrency', options.concurrency, 1);
  whole('seed', options.seed, 0);
  rate('handlerFaultRate', options.handlerFaultRate);
  rate('killRate', options.killRate);
  rate('duplicateRate', options.duplicateRate);
  rate('throttleRate', options.throttleRate);
  rate('declineRate', options.declineRate);
  rate('declineTokenShare', options.declineTokenShare);
  whole('reorderMs', options.reorderMs, 0);
  whole('slowMs', options.slowMs, 0);
  whole('visibilitySeconds', options.visibilitySeconds, 0);
  if (!(options.outageSeconds >= 0)) {
    throw new Error(`outageSeconds must be 0 or more; received ${options.outageSeconds}.`);
  }
  if (options.orderDeadline !== undefined) parseOrderDeadline(options.orderDeadline);
  for (const [k, v] of Object.entries(options.timing)) whole(`timing.${k}`, v, 1);
  return options;
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The fault plan the options ask of the local cloud (`PUT /_local/faults`). */
export function faultPlanOf(options: ChaosOptions, seed: number): FaultPlan {
  const r = options.handlerFaultRate;
  const kill = options.killRate ?? r * 0.1;
  // With an explicit kill rate, the handler fault rate is errors and timeouts only.
  const rest = options.killRate === undefined ? r * 0.9 : r;
  return {
    seed,
    handlerErrorRate: round(rest * (7 / 9)),
    handlerTimeoutRate: round(rest * (2 / 9)),
    killWorkerRate: round(kill),
    duplicateRate: options.duplicateRate,
    reorderMaxDelayMs: options.reorderMs,
    putEventsThrottleRate: options.throttleRate,
    ...(options.functions?.length ? { functions: options.functions } : {}),
  };
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** True when the plan injects nothing (the run needs no fault injection). */
export function isQuiet(plan: FaultPlan): boolean {
  return (
    plan.handlerErrorRate === 0 &&
    plan.handlerTimeoutRate === 0 &&
    plan.killWorkerRate === 0 &&
    plan.duplicateRate === 0 &&
    plan.reorderMaxDelayMs === 0 &&
    plan.putEventsThrottleRate === 0
  );
}
