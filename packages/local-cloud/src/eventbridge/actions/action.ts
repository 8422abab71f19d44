import type { z } from 'zod';
import type { Buses } from '../buses.js';

/**
 * One EventBridge action on buses, rules, targets or tags: its input schema
 * (every violation reported at once, as AWS does) and what it does. `O` is
 * the AWS SDK's result type for the action.
 */
export interface BusAction<I, O> {
  readonly input: z.ZodType<I>;
  run(buses: Buses, input: I): O;
}

export const defineAction = <I, O>(action: BusAction<I, O>): BusAction<I, O> => action;

/** A result as the JSON protocol carries it: timestamps as epoch seconds, not Dates. */
export type Wire<T> = T extends Date
  ? number
  : T extends (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;
