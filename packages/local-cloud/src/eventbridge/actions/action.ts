import type * as z from 'zod';
import type { CloudContext } from '../../core/types.js';
import type { FaultInjector } from '../../faults/plan.js';
import type { Archives } from '../archives.js';
import type { Buses } from '../buses.js';
import type { Bus, BusEvent } from '../model.js';
import type { Replays } from '../replays.js';

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

/** What the event, archive and replay actions use of the service. */
export interface EventsHost {
  readonly ctx: Pick<CloudContext, 'accountId' | 'region'>;
  readonly buses: Buses;
  readonly archives: Archives;
  readonly replays: Replays;
  readonly now: () => number;
  /** Fail PutEvents entries for buses that do not exist (AWS accepts and drops them). */
  readonly strict: boolean;
  readonly faults: FaultInjector | undefined;
  /** Matches, records, archives and delivers one event on one bus. */
  dispatch(bus: Bus, event: BusEvent, ingestionTime: number): void;
}

/** An action on events, archives or replays; like `BusAction`, with the whole service at hand. */
export interface EventsAction<I, O> {
  readonly input: z.ZodType<I>;
  run(host: EventsHost, input: I): O;
}

export const defineEventsAction = <I, O>(action: EventsAction<I, O>): EventsAction<I, O> => action;

/** A result as the JSON protocol carries it: timestamps as epoch seconds, not Dates. */
export type Wire<T> = T extends Date
  ? number
  : T extends (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;
