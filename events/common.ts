import { z } from 'zod';

/** Building blocks shared by several contracts. Changing one changes every contract using it. */
export const id = (what: string) =>
  z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/, `${what} must be 1-64 characters of A-Z, a-z, 0-9, _ or -`);

export const orderId = id('orderId');
export const customerId = id('customerId');
export const shipmentId = id('shipmentId');
export const paymentId = id('paymentId');
export const sku = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/, 'sku must be 1-64 characters of A-Z, a-z, 0-9, ., _ or -');

/** Whole units of stock; one order line holds at most 1000 of a SKU. */
export const quantity = z.number().int().min(1).max(1000);
/** Money in minor units (cents) so no floating point ever touches it. */
export const cents = z.number().int().min(0);
export const currency = z.literal('USD');

export const orderLine = z.object({ sku, quantity });
export const pricedLine = z.object({ sku, quantity, unitPriceCents: cents });

export const address = z.object({
  name: z.string().min(1).max(200),
  line1: z.string().min(1).max(200),
  line2: z.string().max(200).optional(),
  city: z.string().min(1).max(100),
  postalCode: z.string().min(1).max(20),
  country: z
    .string()
    .length(2)
    .regex(/^[A-Z]{2}$/, 'country must be an ISO 3166-1 alpha-2 code such as US'),
});

export const cancellationReason = z.enum(['OUT_OF_STOCK', 'PAYMENT_DECLINED', 'CUSTOMER_REQUEST']);
