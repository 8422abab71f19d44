import * as z from 'zod';

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
  .regex(/^[A-Za-z0-9._-]+$/, 'sku must be 1-64 characters of A-Z, a-z, 0-9, ., _ or -')
  // "." and ".." would be rewritten away by every HTTP client as a path segment.
  .regex(/[^.]/, 'sku must contain a character other than "."');

/**
 * Free text people type (names, addresses, tokens): no control characters and
 * no lone UTF-16 surrogates (they are not text, and DynamoDB rejects invalid
 * UTF-8), and not only blanks.
 */
export const text = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .regex(/^[^\p{Cc}\p{Cs}]*$/u, 'must not contain control characters or lone surrogates')
    .refine(
      (s) => min === 0 || s.replace(/[\s\u200b-\u200d\u2060\ufeff]/gu, '').length > 0,
      'must not be blank',
    );

/** Whole units of stock; one order line holds at most 1000 of a SKU. */
export const quantity = z.number().int().min(1).max(1000);
/** Money in minor units (cents) so no floating point ever touches it. */
export const cents = z.number().int().min(0);
export const currency = z.literal('USD');

export const orderLine = z.object({ sku, quantity });
export const pricedLine = z.object({ sku, quantity, unitPriceCents: cents });

export const address = z.object({
  name: text(1, 200),
  line1: text(1, 200),
  line2: text(0, 200).optional(),
  city: text(1, 100),
  postalCode: text(1, 20),
  country: z
    .string()
    .length(2)
    .regex(/^[A-Z]{2}$/, 'country must be an ISO 3166-1 alpha-2 code such as US'),
});

/** A provider's opaque payment token. */
export const paymentToken = text(1, 200);

/**
 * A personal field encrypted for its readers only (docs/adr/0014-data-protection.md):
 * `pii:v1:<encrypted data key>:<iv>:<tag>:<ciphertext>`, each part base64url.
 * Events carry this instead of the clear value.
 */
export const PII_CIPHERTEXT_PATTERN =
  /^pii:v1:[A-Za-z0-9_-]{16,}:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$/;
export const piiCiphertext = z
  .string()
  .max(4096)
  .regex(
    PII_CIPHERTEXT_PATTERN,
    'expected an encrypted field (pii:v1:<key>:<iv>:<tag>:<ciphertext>), never the clear value',
  );

/** TIMED_OUT: the order was neither CONFIRMED nor CANCELLED within its deadline (docs/adr/0017). */
export const cancellationReason = z.enum([
  'OUT_OF_STOCK',
  'PAYMENT_DECLINED',
  'CUSTOMER_REQUEST',
  'TIMED_OUT',
]);
