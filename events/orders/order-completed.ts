import * as z from 'zod';
import { defineEvent } from '../contract.js';
import { customerId, orderId } from '../common.js';

export const OrderCompleted = defineEvent({
  source: 'shop.orders',
  detailType: 'OrderCompleted',
  schemaVersion: 1,
  description: 'The shipment of a confirmed order was delivered.',
  data: z.object({ orderId, customerId }),
});
