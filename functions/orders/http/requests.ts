import { createHash, randomUUID } from 'node:crypto';
import * as z from 'zod';
import { address, orderLine, paymentToken } from '#events/common.js';
import { HttpError, type HttpEvent } from '#plumbing/http.js';

/** Order ids are ours: `ord_` and 32 hex digits (a UUID without dashes). */
export const ORDER_ID_PATTERN = /^ord_[0-9a-f]{32}$/;
export const newOrderId = (): string => `ord_${randomUUID().replaceAll('-', '')}`;

export const orderIdParams = z.object({
  orderId: z
    .string({ error: 'orderId is required in the path' })
    .regex(
      ORDER_ID_PATTERN,
      'orderId must be "ord_" followed by 32 hex digits, as POST /orders returns it',
    ),
});

export const MAX_LINES = 50;

/**
 * POST /orders body. Strict objects: an unknown field is a 400 naming it, never ignored.
 * The customer is the sign-in token's subject: a body naming one is refused, not overridden.
 */
export const placeOrderBody = z.strictObject({
  customerId: z
    .undefined({ error: 'customerId is taken from your sign-in token; remove it from the body' })
    .optional(),
  lines: z
    .array(z.strictObject(orderLine.shape))
    .min(1, 'lines must hold at least one line')
    .max(MAX_LINES, `lines may hold at most ${MAX_LINES} lines`)
    .superRefine((lines, ctx) => {
      const firstAt = new Map<string, number>();
      lines.forEach((line, i) => {
        const first = firstAt.get(line.sku);
        if (first === undefined) {
          firstAt.set(line.sku, i);
          return;
        }
        ctx.addIssue({
          code: 'custom',
          path: [i, 'sku'],
          message: `sku "${line.sku}" appears in lines ${first} and ${i}; put each SKU on one line with the total quantity`,
        });
      });
    }),
  paymentToken,
  shippingAddress: z.strictObject(address.shape),
});
export type PlaceOrderBody = z.infer<typeof placeOrderBody>;

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
const idempotencyKey = z
  .string()
  .max(128, `${IDEMPOTENCY_KEY_HEADER} may be at most 128 characters`)
  .regex(
    /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/,
    `${IDEMPOTENCY_KEY_HEADER} must be 1-128 printable ASCII characters (no leading or trailing space), e.g. a UUID`,
  );

/** Reads the Idempotency-Key header (names are case-insensitive; API Gateway lowercases them). */
export function readIdempotencyKey(event: HttpEvent): string {
  const wanted = IDEMPOTENCY_KEY_HEADER.toLowerCase();
  const entry = Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === wanted);
  const value = entry?.[1];
  if (value === undefined) {
    throw new HttpError(
      400,
      'ValidationError',
      `Header ${IDEMPOTENCY_KEY_HEADER} is required: send a unique key (e.g. a UUID) per order, and the same key when retrying it.`,
      { fields: [{ field: `headers.${IDEMPOTENCY_KEY_HEADER}`, problem: 'required' }] },
    );
  }
  const parsed = idempotencyKey.safeParse(value);
  if (!parsed.success) {
    const problem = parsed.error.issues.map((i) => i.message).join('; ');
    throw new HttpError(400, 'ValidationError', `Header ${IDEMPOTENCY_KEY_HEADER}: ${problem}.`, {
      fields: [{ field: `headers.${IDEMPOTENCY_KEY_HEADER}`, problem }],
    });
  }
  return parsed.data;
}

/** JSON with object keys sorted at every level, so equal bodies hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * SHA-256 of the canonical body and its customer: what an Idempotency-Key is
 * bound to, so another customer reusing a key gets a 409, never someone else's order.
 */
export function requestHash(body: PlaceOrderBody, customerId: string): string {
  return createHash('sha256')
    .update(canonicalJson({ ...body, customerId }))
    .digest('hex');
}

export function orderNotFound(orderId: string): HttpError {
  return new HttpError(
    404,
    'OrderNotFound',
    `No order has id ${orderId}; use the orderId (or Location) that POST /orders returned.`,
    { orderId },
  );
}

/** The request id an HTTP-originated event names as its cause. */
export function requestIdOf(event: HttpEvent, awsRequestId: string): string {
  return event.requestContext?.requestId || awsRequestId;
}
