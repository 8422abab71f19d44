import * as z from 'zod';
import { defineEvent } from '../contract.js';
import { cents, currency, orderId, paymentId } from '../common.js';

export const PaymentAuthorized = defineEvent({
  source: 'shop.payments',
  detailType: 'PaymentAuthorized',
  schemaVersion: 1,
  description: 'The provider charged the order total.',
  data: z.object({ orderId, paymentId, amountCents: cents, currency }),
});
