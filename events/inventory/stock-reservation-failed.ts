import * as z from 'zod';
import { defineEvent } from '../contract.js';
import { customerId, orderId, sku } from '../common.js';

export const StockReservationFailed = defineEvent({
  source: 'shop.inventory',
  detailType: 'StockReservationFailed',
  schemaVersion: 1,
  description: 'At least one line could not be reserved; nothing was reserved.',
  data: z.object({
    orderId,
    customerId,
    /** The lines that could not be served, with what was available when tried. */
    shortages: z
      .array(
        z.object({
          sku,
          requested: z.number().int().min(1),
          available: z.number().int().min(0),
          reason: z.enum(['INSUFFICIENT_STOCK', 'UNKNOWN_SKU']),
        }),
      )
      .min(1),
  }),
});
