import { z } from 'zod';
import { defineEvent } from '../contract.js';
import { address, cents, currency, customerId, orderId, pricedLine } from '../common.js';

export const OrderConfirmed = defineEvent({
  source: 'shop.orders',
  detailType: 'OrderConfirmed',
  schemaVersion: 1,
  description: 'Stock is reserved and payment authorized: the order will ship.',
  data: z.object({
    orderId,
    customerId,
    lines: z.array(pricedLine).min(1),
    amountCents: cents,
    currency,
    /** Carried so shipping can schedule without calling orders. */
    shippingAddress: address,
  }),
});
