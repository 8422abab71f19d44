import * as z from 'zod';
import { defineEvent } from '../contract.js';
import { customerId, orderId, shipmentId } from '../common.js';

export const ShipmentDelivered = defineEvent({
  source: 'shop.shipping',
  detailType: 'ShipmentDelivered',
  schemaVersion: 1,
  description: 'The carrier delivered the shipment.',
  data: z.object({
    shipmentId,
    orderId,
    customerId,
    deliveredAt: z.iso.datetime({ offset: true }),
  }),
});
