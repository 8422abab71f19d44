import { createEvent } from '#events/contract.js';
import { OrderCancelled, OrderConfirmed, ShipmentDelivered, ShipmentDispatched } from '#events';
import { SEALED_ADDRESS } from '../../support/pii.js';

export const ORDER = 'ord_42';
export const CUSTOMER = 'cus_7';
const cause = { correlationId: ORDER, causationId: 'evt-cause' };
const at = (iso: string) => () => new Date(iso);

export const confirmed = (
  lines: { sku: string; quantity: number; unitPriceCents: number }[] = [
    { sku: 'MUG', quantity: 1, unitPriceCents: 1234 },
  ],
  occurredAt = '2026-05-01T10:00:00.000Z',
) =>
  createEvent(
    OrderConfirmed,
    {
      orderId: ORDER,
      customerId: CUSTOMER,
      lines,
      amountCents: lines.reduce((s, l) => s + l.quantity * l.unitPriceCents, 0),
      currency: 'USD',
      shippingAddressCiphertext: SEALED_ADDRESS,
    },
    cause,
    at(occurredAt),
  );

export const cancelled = (
  reason: 'OUT_OF_STOCK' | 'PAYMENT_DECLINED' | 'CUSTOMER_REQUEST' | 'TIMED_OUT',
  previousStatus: 'PENDING' | 'CONFIRMED' = 'PENDING',
) =>
  createEvent(
    OrderCancelled,
    { orderId: ORDER, customerId: CUSTOMER, reason, previousStatus },
    cause,
    at('2026-05-01T11:00:00.000Z'),
  );

export const dispatched = () =>
  createEvent(
    ShipmentDispatched,
    {
      shipmentId: 'shp_1',
      orderId: ORDER,
      customerId: CUSTOMER,
      carrier: 'ParcelCo',
      trackingNumber: 'PC123',
    },
    cause,
    at('2026-05-02T08:00:00.000Z'),
  );

export const delivered = (deliveredAt = '2026-05-03T16:30:00.000Z') =>
  createEvent(
    ShipmentDelivered,
    { shipmentId: 'shp_1', orderId: ORDER, customerId: CUSTOMER, deliveredAt },
    cause,
    at('2026-05-03T16:31:00.000Z'),
  );

/** The event as the consumer hands it to the domain (the EventBridge shape). */
export const incoming = <E extends { detailType: string; detail: unknown }>(event: E) => ({
  'detail-type': event.detailType as E['detailType'],
  detail: event.detail as E['detail'],
});
