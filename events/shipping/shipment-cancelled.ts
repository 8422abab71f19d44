import * as z from 'zod';
import { defineEvent } from '../contract.js';
import { customerId, orderId, shipmentId } from '../common.js';

export const ShipmentCancelled = defineEvent({
  source: 'shop.shipping',
  detailType: 'ShipmentCancelled',
  schemaVersion: 1,
  description: 'A shipment of a cancelled order was called off before dispatch.',
  data: z.object({ shipmentId, orderId, customerId }),
});
