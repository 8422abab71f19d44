import { orderSummary, type OrderSummary } from '../domain/render.js';
import * as z from 'zod';
import { ORDER_STATUSES, type OrderView } from '../domain/order-view.js';
import { customerPartition, listSortKey, viewKey } from './keys.js';

const stamp = z.object({ rank: z.number(), at: z.string(), eventId: z.string() });

/** The stored view, checked when read: a malformed item fails loudly, not as a wrong answer. */
const orderViewSchema = z.object({
  orderId: z.string(),
  customerId: z.string().optional(),
  placedAt: z.string().optional(),
  updatedAt: z.string(),
  status: z
    .object({ value: z.enum(ORDER_STATUSES), reason: z.string().optional(), stamp })
    .optional(),
  lines: z
    .object({
      value: z.array(
        z.object({
          sku: z.string(),
          quantity: z.number(),
          unitPriceCents: z.number().optional(),
        }),
      ),
      amountCents: z.number().optional(),
      currency: z.string().optional(),
      stamp,
    })
    .optional(),
  payment: z.object({
    authorized: z.object({ paymentId: z.string(), amountCents: z.number(), stamp }).optional(),
    declined: z.object({ code: z.string(), stamp }).optional(),
    refunded: z.object({ amountCents: z.number(), stamp }).optional(),
  }),
  shipment: z.object({
    shipmentId: z.string().optional(),
    status: z
      .object({
        value: z.enum(['SCHEDULED', 'DISPATCHED', 'DELIVERED', 'CANCELLED']),
        stamp,
      })
      .optional(),
    dispatch: z.object({ carrier: z.string(), trackingNumber: z.string(), stamp }).optional(),
  }),
  timeline: z.array(
    z.object({
      type: z.string(),
      occurredAt: z.string(),
      source: z.string(),
      eventId: z.string(),
      causationId: z.string(),
    }),
  ),
});

const viewItemSchema = z.object({ revision: z.number().int().min(1), view: orderViewSchema });

/**
 * One view's item: the view itself under `view`, its status on top (the list's
 * filter), and the index keys once the view knows its customer and placedAt.
 */
export function viewToItem(version: number, view: OrderView, revision: number) {
  return {
    ...viewKey(version, view.orderId),
    kind: 'order-view',
    projectionVersion: version,
    revision,
    orderId: view.orderId,
    status: view.status?.value ?? 'PENDING',
    view,
    ...(view.customerId !== undefined &&
      view.placedAt !== undefined && {
        gsi1pk: customerPartition(version, view.customerId),
        gsi1sk: listSortKey(view.placedAt, view.orderId),
        // The list entry, for the index: a list page reads it, never the whole view.
        summary: orderSummary(view),
      }),
  };
}

export function viewFromItem(item: Record<string, unknown>): { view: OrderView; revision: number } {
  const parsed = viewItemSchema.safeParse(item);
  if (!parsed.success) {
    throw new Error(
      `Item ${String(item['pk'])} is not a valid order view: ${parsed.error.issues
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ')}`,
    );
  }
  return parsed.data as { view: OrderView; revision: number };
}

/** A list index item's entry, as viewToItem wrote it; throws, naming the item, if it has none. */
export function summaryFromItem(item: Record<string, unknown>): OrderSummary {
  const summary = item['summary'];
  if (
    !summary ||
    typeof summary !== 'object' ||
    typeof (summary as OrderSummary).orderId !== 'string'
  ) {
    throw new Error(
      `Index item ${String(item['pk'])} has no list entry (summary); views written before it need a rebuild (npm run rebuild).`,
    );
  }
  return summary as OrderSummary;
}
