import * as z from 'zod';
import { defineEvent } from '../contract.js';
import { customerId, orderId, orderLine, piiCiphertext } from '../common.js';

export const OrderPlaced = defineEvent({
  source: 'shop.orders',
  detailType: 'OrderPlaced',
  schemaVersion: 2,
  description: 'A customer placed an order; it is PENDING until stock and payment settle it.',
  data: z.object({
    orderId,
    customerId,
    lines: z.array(orderLine).min(1).max(50),
    /**
     * v2: the provider token and the address travel encrypted (docs/adr/0014-data-protection.md),
     * each readable only by the service that needs it: payments charges with the
     * token, shipping ships to the address, without calling orders.
     */
    paymentTokenCiphertext: piiCiphertext,
    shippingAddressCiphertext: piiCiphertext,
    placedAt: z.iso.datetime({ offset: true }),
  }),
});
