import { OrderCancelled, OrderPlaced } from '#events';

/** The one list of contracts inventory subscribes to: the CDK rule and the consumer derive from it. */
export const consumes = [OrderPlaced, OrderCancelled] as const;
