import { randomUUID } from 'node:crypto';
import {
  createEvent,
  OrderCancelled,
  OrderConfirmed,
  OrderPlaced,
  PaymentAuthorized,
  PaymentDeclined,
  ShipmentDelivered,
  ShipmentDispatched,
  StockReserved,
  type DomainEvent,
} from '../../events/index.js';

/* Representative shop events, built through the contracts so they are valid ones. */

/**
 * A sealed field of the real size (docs/adr/0014-data-protection.md): a KMS data
 * key blob (~184 bytes), iv, tag and `bytes` of ciphertext, base64url.
 */
function sealed(bytes: number): string {
  const part = (n: number) => Buffer.alloc(n, 7).toString('base64url');
  return `pii:v1:${part(184)}:${part(12)}:${part(16)}:${part(bytes)}`;
}

export function orderPlaced(orderId = `o-${randomUUID()}`) {
  return createEvent(
    OrderPlaced,
    {
      orderId,
      customerId: 'c-42',
      lines: [
        { sku: 'TEA-EARL-GREY', quantity: 2 },
        { sku: 'MUG-WHITE', quantity: 1 },
        { sku: 'BISCUIT-TIN', quantity: 12 },
      ],
      paymentTokenCiphertext: sealed(24),
      shippingAddressCiphertext: sealed(120),
      placedAt: new Date().toISOString(),
    },
    { correlationId: orderId, causationId: `req-${orderId}` },
  );
}

export function stockReserved(orderId = `o-${randomUUID()}`) {
  return createEvent(
    StockReserved,
    {
      orderId,
      customerId: 'c-42',
      lines: [
        { sku: 'TEA-EARL-GREY', quantity: 2, unitPriceCents: 899 },
        { sku: 'MUG-WHITE', quantity: 1, unitPriceCents: 1250 },
      ],
      amountCents: 3048,
      currency: 'USD',
      paymentTokenCiphertext: sealed(24),
    },
    { correlationId: orderId, causationId: randomUUID() },
  );
}

/** One of each kind the services exchange most, in the order a saga produces them. */
export function sagaEvents(): DomainEvent[] {
  const orderId = 'o-2025-000123';
  const cause = { correlationId: orderId, causationId: randomUUID() };
  return [
    orderPlaced(orderId),
    stockReserved(orderId),
    createEvent(
      PaymentAuthorized,
      { orderId, paymentId: 'p-77', amountCents: 3048, currency: 'USD' },
      cause,
    ),
    createEvent(
      PaymentDeclined,
      { orderId, code: 'card_declined', message: 'Insufficient funds' },
      cause,
    ),
    createEvent(
      OrderConfirmed,
      {
        orderId,
        customerId: 'c-42',
        lines: [{ sku: 'TEA-EARL-GREY', quantity: 2, unitPriceCents: 899 }],
        amountCents: 1798,
        currency: 'USD',
        shippingAddressCiphertext: sealed(120),
      },
      cause,
    ),
    createEvent(
      ShipmentDispatched,
      {
        shipmentId: 's-9',
        orderId,
        customerId: 'c-42',
        carrier: 'ACME',
        trackingNumber: '1Z999',
      },
      cause,
    ),
    createEvent(
      ShipmentDelivered,
      { shipmentId: 's-9', orderId, customerId: 'c-42', deliveredAt: new Date().toISOString() },
      cause,
    ),
    createEvent(
      OrderCancelled,
      { orderId, customerId: 'c-42', reason: 'CUSTOMER_REQUEST', previousStatus: 'PENDING' },
      cause,
    ),
  ];
}

/** The event as EventBridge delivers it to rules: the envelope around the detail. */
export function onTheBus(event: DomainEvent): Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': event.detailType,
    source: event.source,
    account: '000000000000',
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: 'us-east-1',
    resources: [],
    detail: event.detail,
  };
}
