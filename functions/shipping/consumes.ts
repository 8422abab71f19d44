import { OrderCancelled, OrderConfirmed } from '#events';

/** The one list of events shipping subscribes to: the rule pattern and the consumer derive from it. */
export const consumes = [OrderConfirmed, OrderCancelled] as const;
