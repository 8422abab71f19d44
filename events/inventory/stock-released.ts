import * as z from 'zod';
import { defineEvent } from '../contract.js';
import { orderId, orderLine } from '../common.js';

export const StockReleased = defineEvent({
  source: 'shop.inventory',
  detailType: 'StockReleased',
  schemaVersion: 1,
  description: "A cancelled order's reservation went back to available stock.",
  data: z.object({ orderId, lines: z.array(orderLine).min(1) }),
});
