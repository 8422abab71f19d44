import * as z from 'zod';
import { defineEvent } from '../contract.js';
import { orderId } from '../common.js';

/**
 * Internal to orders: it never crosses the bus. EventBridge Scheduler sends it,
 * at the order's deadline, straight to the orders subscription queue (the
 * schedule's Input is this event, shaped as EventBridge delivers one, so the
 * orders consumer parses it like any other); no rule matches it and no other
 * service may rely on it. Its eventId is derived from the order id, so a
 * schedule that fires twice is deduplicated (docs/adr/0017-saga-deadlines.md).
 */
export const OrderDeadlinePassed = defineEvent({
  source: 'shop.orders',
  detailType: 'OrderDeadlinePassed',
  schemaVersion: 1,
  description:
    "Internal to orders (sent by EventBridge Scheduler to the orders queue, never on the bus): the order's deadline passed; an order still neither CONFIRMED nor CANCELLED is cancelled with reason TIMED_OUT.",
  data: z.object({
    orderId,
    /** placedAt + the orderDeadline the stack was deployed with. */
    deadline: z.iso.datetime({ offset: true }),
  }),
});
