import * as z from 'zod';
import { defineEvent } from '../contract.js';
import { customerId, orderId, piiCiphertext, shipmentId } from '../common.js';

export const ShipmentScheduled = defineEvent({
  source: 'shop.shipping',
  detailType: 'ShipmentScheduled',
  schemaVersion: 2,
  description: 'A shipment was scheduled for a confirmed order; the carrier reports its progress.',
  /** v2: the address stays sealed for shipping (docs/adr/0014-data-protection.md). */
  data: z.object({ shipmentId, orderId, customerId, shippingAddressCiphertext: piiCiphertext }),
});
