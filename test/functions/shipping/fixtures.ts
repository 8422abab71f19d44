import { createEvent, type DomainEvent } from '#events/contract.js';
import { OrderCancelled, OrderConfirmed, ShipmentScheduled } from '#events';
import type { Consumed } from '#plumbing/consumer.js';
import type { consumes } from '../../../functions/shipping/consumes.js';
import { fakeSeal } from '../../support/pii.js';

export const address = {
  name: 'Ada Lovelace',
  line1: '12 Analytical St',
  city: 'London',
  postalCode: 'N1 9GU',
  country: 'GB',
};

export const clock = {
  now: () => new Date('2026-11-21T12:00:00.000Z'),
  newId: (() => {
    let n = 0;
    return () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
  })(),
};

/** A bus event as the consumer receives it. */
export function delivered<E extends DomainEvent>(e: E) {
  return {
    id: crypto.randomUUID(),
    source: e.source,
    'detail-type': e.detailType,
    time: e.detail.metadata.occurredAt,
    detail: e.detail,
  } as unknown as Consumed<(typeof consumes)[number]>;
}

export const confirmed = (orderId = 'ord_1') =>
  createEvent(
    OrderConfirmed,
    {
      orderId,
      customerId: 'cus_1',
      lines: [{ sku: 'SKU-1', quantity: 1, unitPriceCents: 500 }],
      amountCents: 500,
      currency: 'USD',
      shippingAddressCiphertext: fakeSeal('shippingAddress', JSON.stringify(address), orderId),
    },
    { correlationId: orderId, causationId: 'evt-auth' },
  );

export const cancelled = (orderId = 'ord_1') =>
  createEvent(
    OrderCancelled,
    { orderId, customerId: 'cus_1', reason: 'CUSTOMER_REQUEST', previousStatus: 'CONFIRMED' },
    { correlationId: orderId, causationId: 'req-cancel' },
  );

export const scheduled = (orderId = 'ord_1') =>
  createEvent(
    ShipmentScheduled,
    {
      shipmentId: `shp_${orderId}`,
      orderId,
      customerId: 'cus_1',
      shippingAddressCiphertext: fakeSeal('shippingAddress', JSON.stringify(address), orderId),
    },
    { correlationId: orderId, causationId: 'evt-confirmed' },
  );
