import { createHash } from 'node:crypto';
import type * as z from 'zod';
import type { address } from '#events/common.js';

export type Address = z.infer<typeof address>;

interface Known {
  shipmentId: string;
  orderId: string;
  customerId: string;
  /** Sealed for shipping; opened only to answer GET /shipments/{id} (docs/adr/0014-data-protection.md). */
  shippingAddressCiphertext: string;
  /** Carrier event ids already applied, so a re-sent webhook changes nothing. */
  carrierEventIds: string[];
}

/** One shipment per order; the state says what may still happen to it. */
export type Shipment =
  | { status: 'NONE' }
  /** OrderCancelled overtook OrderConfirmed: a later confirmation must schedule nothing. */
  | { status: 'VOID'; shipmentId: string; orderId: string }
  | (Known & { status: 'SCHEDULED' })
  | (Known & { status: 'DISPATCHED'; carrier: string; trackingNumber: string })
  | (Known & { status: 'DELIVERED'; carrier: string; trackingNumber: string; deliveredAt: string })
  | (Known & { status: 'CANCELLED' });

export type ShipmentStatus = Shipment['status'];

export const initialState: Shipment = { status: 'NONE' };

/**
 * The shipment of an order has an id derived from the order id, so a
 * redelivered or replayed OrderConfirmed can never schedule a second one, and a
 * carrier (or the README's curl) can address it knowing only the order.
 */
export function shipmentIdFor(orderId: string): string {
  const plain = `shp_${orderId}`;
  if (plain.length <= 64) return plain;
  return `shp_${createHash('sha256').update(orderId).digest('hex').slice(0, 40)}`;
}
