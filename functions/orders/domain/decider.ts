import type { Decider } from '#plumbing/decider.js';
import { decide } from './decide.js';
import { evolve } from './evolve.js';
import type { OrderCommand, OrderEvent } from './messages.js';
import { noOrder, type Order, type OrderState } from './state.js';

/** The order aggregate as one decider: where it starts, what it decides, how it changes. */
export const orderDecider = {
  initialState: noOrder as OrderState,
  decide,
  evolve,
} satisfies Decider<OrderState, OrderCommand, OrderEvent>;

/**
 * Decides and folds in one go: the events and the order they lead to. Every
 * command either throws or leaves an order (an event never creates one, and
 * PlaceOrder always does), which is what lets this return an Order.
 */
export function run(
  command: OrderCommand,
  state: OrderState,
): { events: OrderEvent[]; order: Order } {
  const events = decide(command, state);
  const next = events.reduce(evolve, state);
  if (next.status === 'NONE') {
    throw new Error(`${command.type} decided nothing on a missing order instead of throwing`);
  }
  return { events, order: next };
}
