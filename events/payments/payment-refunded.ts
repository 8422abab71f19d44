import * as z from 'zod';
import { defineEvent } from '../contract.js';
import { cents, currency, orderId, paymentId } from '../common.js';

export const PaymentRefunded = defineEvent({
  source: 'shop.payments',
  detailType: 'PaymentRefunded',
  schemaVersion: 1,
  description: 'The charge of a cancelled order was refunded in full.',
  data: z.object({ orderId, paymentId, amountCents: cents, currency }),
});
