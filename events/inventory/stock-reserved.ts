import { z } from 'zod';
import { defineEvent } from '../contract.js';
import { cents, currency, customerId, orderId, paymentToken, pricedLine } from '../common.js';

export const StockReserved = defineEvent({
  source: 'shop.inventory',
  detailType: 'StockReserved',
  schemaVersion: 1,
  description:
    'Every line of the order is reserved, priced from the catalog (inventory is the price authority).',
  data: z.object({
    orderId,
    customerId,
    lines: z.array(pricedLine).min(1),
    amountCents: cents,
    currency,
    /** Passed through from OrderPlaced so payments can charge without calling orders. */
    paymentToken,
  }),
});
