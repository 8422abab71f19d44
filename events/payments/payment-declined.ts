import * as z from 'zod';
import { defineEvent } from '../contract.js';
import { orderId } from '../common.js';

export const PaymentDeclined = defineEvent({
  source: 'shop.payments',
  detailType: 'PaymentDeclined',
  schemaVersion: 1,
  description: 'The provider refused the charge; nothing was charged.',
  data: z.object({
    orderId,
    /** The provider's decline code, e.g. card_declined. */
    code: z.string().min(1).max(100),
    message: z.string().max(500),
  }),
});
