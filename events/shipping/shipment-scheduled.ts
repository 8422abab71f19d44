import { z } from 'zod';
import { defineEvent } from '../contract.js';
import { address, customerId, orderId, shipmentId } from '../common.js';

export const ShipmentScheduled = defineEvent({
  source: 'shop.shipping',
  detailType: 'ShipmentScheduled',
  schemaVersion: 1,
  description: 'A shipment was scheduled for a confirmed order; the carrier reports its progress.',
  data: z.object({ shipmentId, orderId, customerId, shippingAddress: address }),
});
