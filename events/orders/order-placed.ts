import { z } from 'zod';
import { defineEvent } from '../contract.js';
import { address, customerId, orderId, orderLine, paymentToken } from '../common.js';

export const OrderPlaced = defineEvent({
  source: 'shop.orders',
  detailType: 'OrderPlaced',
  schemaVersion: 1,
  description: 'A customer placed an order; it is PENDING until stock and payment settle it.',
  data: z.object({
    orderId,
    customerId,
    lines: z.array(orderLine).min(1).max(50),
    /** Opaque provider token; carried so payments can charge without calling orders. */
    paymentToken,
    shippingAddress: address,
    placedAt: z.iso.datetime({ offset: true }),
  }),
});
