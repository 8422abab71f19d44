import * as z from 'zod';
import { defineEvent } from '../contract.js';
import { cents, currency, customerId, orderId, piiCiphertext, pricedLine } from '../common.js';

export const OrderConfirmed = defineEvent({
  source: 'shop.orders',
  detailType: 'OrderConfirmed',
  schemaVersion: 2,
  description: 'Stock is reserved and payment authorized: the order will ship.',
  data: z.object({
    orderId,
    customerId,
    lines: z.array(pricedLine).min(1),
    amountCents: cents,
    currency,
    /** v2: encrypted for shipping only, which schedules without calling orders. */
    shippingAddressCiphertext: piiCiphertext,
  }),
});
