import * as z from 'zod';
import {
  cancellationReason,
  cents,
  currency,
  customerId,
  orderId,
  orderLine,
  paymentId,
  piiCiphertext,
  pricedLine,
  shipmentId,
} from '#events/common.js';

/*
 * The order aggregate: one discriminated union, one member per status, each
 * carrying exactly what that status knows. Declared with zod so the stored
 * snapshot is validated when loaded (the type is inferred from the schema).
 */

const timestamp = z.iso.datetime({ offset: true });

/** What inventory priced (it is the price authority), recorded from StockReserved. */
export const pricingSchema = z.object({
  lines: z.array(pricedLine).min(1),
  amountCents: cents,
  currency,
});

/** What payments charged, recorded from PaymentAuthorized. */
export const authorizationSchema = z.object({ paymentId, amountCents: cents, currency });

const common = {
  orderId,
  customerId,
  lines: z.array(orderLine).min(1).max(50),
  /** Encrypted for shipping (docs/adr/0014-data-protection.md); orders never holds it in clear. */
  shippingAddressCiphertext: piiCiphertext,
  placedAt: timestamp,
  updatedAt: timestamp,
};

export const pendingOrderSchema = z.object({
  status: z.literal('PENDING'),
  ...common,
  /** Set by StockReserved. */
  pricing: pricingSchema.optional(),
  /** Set by a PaymentAuthorized that overtook StockReserved: confirmation waits for pricing. */
  authorization: authorizationSchema.optional(),
});

export const confirmedOrderSchema = z.object({
  status: z.literal('CONFIRMED'),
  ...common,
  pricing: pricingSchema,
  authorization: authorizationSchema,
  confirmedAt: timestamp,
  /** Set by ShipmentDispatched; from then on the customer can no longer cancel. */
  dispatch: z.object({ shipmentId, dispatchedAt: timestamp }).optional(),
});

export const cancelledOrderSchema = z.object({
  status: z.literal('CANCELLED'),
  ...common,
  reason: cancellationReason,
  previousStatus: z.enum(['PENDING', 'CONFIRMED']),
  cancelledAt: timestamp,
  pricing: pricingSchema.optional(),
  authorization: authorizationSchema.optional(),
});

export const completedOrderSchema = z.object({
  status: z.literal('COMPLETED'),
  ...common,
  pricing: pricingSchema,
  authorization: authorizationSchema,
  confirmedAt: timestamp,
  shipmentId,
  completedAt: timestamp,
});

export const orderSchema = z.discriminatedUnion('status', [
  pendingOrderSchema,
  confirmedOrderSchema,
  cancelledOrderSchema,
  completedOrderSchema,
]);

export type Pricing = z.infer<typeof pricingSchema>;
export type Authorization = z.infer<typeof authorizationSchema>;
export type PendingOrder = z.infer<typeof pendingOrderSchema>;
export type ConfirmedOrder = z.infer<typeof confirmedOrderSchema>;
export type CancelledOrder = z.infer<typeof cancelledOrderSchema>;
export type CompletedOrder = z.infer<typeof completedOrderSchema>;
export type Order = z.infer<typeof orderSchema>;
export type OrderStatus = Order['status'];

/** Before PlaceOrder: the decider's initial state (no row in the table). */
export interface NoOrder {
  status: 'NONE';
}
export const noOrder: NoOrder = Object.freeze({ status: 'NONE' });

export type OrderState = NoOrder | Order;
