import * as z from 'zod';
import type { Product } from '../domain/product.js';
import type { Reservation } from '../domain/state.js';

/*
 * How inventory's items look in its table (partition key `pk` only). Items are
 * parsed on the way in, so a hand-edited or corrupt item fails loudly with the
 * key named instead of turning into NaN stock.
 */

export const productKey = (sku: string) => ({ pk: `PRODUCT#${sku}` });
export const reservationKey = (orderId: string) => ({ pk: `RESERVATION#${orderId}` });
export const restockRequestKey = (idempotencyKey: string) => ({ pk: `RESTOCK#${idempotencyKey}` });

const count = z.number().int();
const productItem = z.object({
  sku: z.string(),
  name: z.string(),
  priceCents: count,
  available: count,
  reserved: count,
  version: count,
});

const pricedLine = z.object({ sku: z.string(), quantity: count, unitPriceCents: count });
const shortage = z.object({
  sku: z.string(),
  requested: count,
  available: count,
  reason: z.enum(['INSUFFICIENT_STOCK', 'UNKNOWN_SKU']),
});
const ids = { orderId: z.string(), customerId: z.string(), version: count };
const reservationItem = z.discriminatedUnion('status', [
  z.object({ status: z.literal('RESERVED'), lines: z.array(pricedLine), ...ids }),
  z.object({ status: z.literal('RELEASED'), lines: z.array(pricedLine), ...ids }),
  z.object({ status: z.literal('FAILED'), shortages: z.array(shortage), ...ids }),
  z.object({ status: z.literal('CANCELLED_BEFORE_RESERVE'), ...ids }),
]);

function parseItem<S extends z.ZodType>(schema: S, item: Record<string, unknown>): z.infer<S> {
  const parsed = schema.safeParse(item);
  if (!parsed.success) {
    throw new Error(
      `Item ${String(item['pk'])} is not a valid ${String(item['kind'])} item: ${parsed.error.issues
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ')}`,
    );
  }
  return parsed.data;
}

export const productFromItem = (item: Record<string, unknown>): Product =>
  parseItem(productItem, item);

export const reservationFromItem = (item: Record<string, unknown>): Reservation =>
  parseItem(reservationItem, item);

export function reservationToItem(reservation: Reservation): Record<string, unknown> {
  return { ...reservationKey(reservation.orderId), kind: 'reservation', ...reservation };
}
