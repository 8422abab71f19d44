import * as z from 'zod';
import { defineEvent } from '../contract.js';
import { cents, currency, customerId, orderId, piiCiphertext, pricedLine } from '../common.js';

export const StockReserved = defineEvent({
  source: 'shop.inventory',
  detailType: 'StockReserved',
  schemaVersion: 2,
  description:
    'Every line of the order is reserved, priced from the catalog (inventory is the price authority).',
  data: z.object({
    orderId,
    customerId,
    lines: z.array(pricedLine).min(1),
    amountCents: cents,
    currency,
    /** v2: passed through from OrderPlaced unread (encrypted for payments only). */
    paymentTokenCiphertext: piiCiphertext,
  }),
});
