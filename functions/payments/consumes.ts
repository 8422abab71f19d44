import { OrderCancelled, StockReserved } from '#events';

/** The one list of contracts payments subscribes to (the CDK rule and the consumer use it). */
export const consumes = [StockReserved, OrderCancelled] as const;
