import * as z from 'zod';
import { defineEvent } from '../contract.js';
import { cancellationReason, customerId, orderId } from '../common.js';

export const OrderCancelled = defineEvent({
  source: 'shop.orders',
  detailType: 'OrderCancelled',
  schemaVersion: 1,
  description:
    'The order is cancelled. Inventory releases any reservation, payments refunds any charge, shipping cancels any undispatched shipment.',
  data: z.object({
    orderId,
    customerId,
    reason: cancellationReason,
    previousStatus: z.enum(['PENDING', 'CONFIRMED']),
  }),
});
