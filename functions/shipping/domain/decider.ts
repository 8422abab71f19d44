import type { Decider } from '#plumbing/decider.js';
import { decide, internalEventsOf, type Clock } from './decide.js';
import { evolve } from './evolve.js';
import type { PublishedShipmentEvent, ShipmentCommand, ShipmentEvent } from './messages.js';
import { initialState, type Shipment } from './state.js';

/**
 * One shipment as one decider. Its published events carry ids and times, so
 * the decider is made with the clock that stamps them.
 */
export function shipmentDecider(clock?: Clock) {
  return {
    initialState,
    decide: (command: ShipmentCommand, state: Shipment): ShipmentEvent[] => [
      ...decide(command, state, clock),
      ...internalEventsOf(command, state),
    ],
    evolve,
  } satisfies Decider<Shipment, ShipmentCommand, ShipmentEvent>;
}

/** Decide, then fold every event into the next state: what a handler publishes and stores. */
export function handle(
  command: ShipmentCommand,
  state: Shipment,
  clock?: Clock,
): { events: PublishedShipmentEvent[]; next: Shipment } {
  const events = decide(command, state, clock);
  const next = [...events, ...internalEventsOf(command, state)].reduce(evolve, state);
  return { events, next };
}
