import * as z from 'zod';
import { defineEvent } from '../contract.js';
import { customerId, orderId, shipmentId, text } from '../common.js';

export const ShipmentDispatched = defineEvent({
  source: 'shop.shipping',
  detailType: 'ShipmentDispatched',
  schemaVersion: 1,
  description: 'The carrier picked the shipment up; it can no longer be cancelled.',
  data: z.object({
    shipmentId,
    orderId,
    customerId,
    carrier: text(1, 100),
    trackingNumber: text(1, 100),
  }),
});
