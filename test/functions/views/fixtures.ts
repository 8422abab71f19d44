import { createHash } from 'node:crypto';
import { createEvent, type DataOf, type EventContract } from '#events/contract.js';
import {
  OrderCancelled,
  OrderCompleted,
  OrderConfirmed,
  OrderPlaced,
  PaymentAuthorized,
  PaymentDeclined,
  PaymentRefunded,
  ShipmentCancelled,
  ShipmentDelivered,
  ShipmentDispatched,
  ShipmentScheduled,
  StockReleased,
  StockReservationFailed,
  StockReserved,
} from '#events';
import type { JourneyEvent } from '../../../functions/views/domain/journey.js';
import { SEALED_ADDRESS, SEALED_TOKEN } from '../../support/pii.js';

export const ORDER = 'ord_42';
export const CUSTOMER = 'cus_ada';
export const SHIPMENT = `shp_${ORDER}`;
export const PAYMENT = 'pay_1';
export const LINES = [
  { sku: 'MUG-001', quantity: 2, unitPriceCents: 1200 },
  { sku: 'TEE-002', quantity: 1, unitPriceCents: 2500 },
];
export const AMOUNT = 4900;

/** A UUID (as eventIds are) derived from `seed`: the same journey always has the same ids. */
export function stableUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Second `s` of the journey, as a time. */
export const at = (s: number) => new Date(Date.UTC(2026, 4, 1, 10, 0, s)).toISOString();

/**
 * A journey as the services emit it: each event caused by the one before it
 * named, with its own id and time, so tests can shuffle them like the bus does.
 */
export class Journey {
  readonly events: JourneyEvent[] = [];
  private n = 0;
  constructor(readonly orderId = ORDER) {}

  add<C extends EventContract>(
    contract: C,
    data: DataOf<C>,
    causedBy: JourneyEvent | undefined,
    second: number,
  ): JourneyEvent {
    const id = stableUuid(`${this.orderId}/${++this.n}/${contract.detailType}`);
    const event = createEvent(
      contract,
      data,
      {
        correlationId: this.orderId,
        causationId: causedBy?.detail.metadata.eventId ?? `req-${this.orderId}`,
      },
      () => new Date(at(second)),
      () => id,
    );
    const incoming = {
      source: event.source,
      'detail-type': event.detailType,
      detail: event.detail,
    } as unknown as JourneyEvent;
    this.events.push(incoming);
    return incoming;
  }
}

const ids = (orderId: string) => ({ orderId, customerId: CUSTOMER });

export function placed(j: Journey, second = 0) {
  return j.add(
    OrderPlaced,
    {
      ...ids(j.orderId),
      lines: LINES.map(({ sku, quantity }) => ({ sku, quantity })),
      paymentTokenCiphertext: SEALED_TOKEN,
      shippingAddressCiphertext: SEALED_ADDRESS,
      placedAt: at(second),
    },
    undefined,
    second,
  );
}

export const reserved = (j: Journey, cause: JourneyEvent, second: number) =>
  j.add(
    StockReserved,
    {
      ...ids(j.orderId),
      lines: LINES,
      amountCents: AMOUNT,
      currency: 'USD',
      paymentTokenCiphertext: SEALED_TOKEN,
    },
    cause,
    second,
  );

export const authorized = (j: Journey, cause: JourneyEvent, second: number) =>
  j.add(
    PaymentAuthorized,
    { orderId: j.orderId, paymentId: PAYMENT, amountCents: AMOUNT, currency: 'USD' },
    cause,
    second,
  );

export const confirmed = (j: Journey, cause: JourneyEvent, second: number) =>
  j.add(
    OrderConfirmed,
    {
      ...ids(j.orderId),
      lines: LINES,
      amountCents: AMOUNT,
      currency: 'USD',
      shippingAddressCiphertext: SEALED_ADDRESS,
    },
    cause,
    second,
  );

const shipment = (j: Journey) => ({ ...ids(j.orderId), shipmentId: `shp_${j.orderId}` });

export const scheduled = (j: Journey, cause: JourneyEvent, second: number) =>
  j.add(
    ShipmentScheduled,
    { ...shipment(j), shippingAddressCiphertext: SEALED_ADDRESS },
    cause,
    second,
  );

/**
 * A cancellation with any reason: the saga grows reasons (TIMED_OUT) the
 * contract may not list yet, and the view must take them as they come.
 */
export function cancelled(
  j: Journey,
  cause: JourneyEvent,
  second: number,
  reason: string,
  previousStatus: 'PENDING' | 'CONFIRMED' = 'PENDING',
): JourneyEvent {
  const event = j.add(
    OrderCancelled,
    { ...ids(j.orderId), reason: 'CUSTOMER_REQUEST', previousStatus },
    cause,
    second,
  );
  (event.detail.data as { reason: string }).reason = reason;
  return event;
}

/** Every journey the saga can take, each in the order the services emit it. */
export function journeys(orderId = ORDER): Record<string, JourneyEvent[]> {
  const completed = new Journey(orderId);
  {
    const p = placed(completed);
    const r = reserved(completed, p, 1);
    const a = authorized(completed, r, 2);
    const c = confirmed(completed, a, 3);
    const s = scheduled(completed, c, 4);
    const d = completed.add(
      ShipmentDispatched,
      { ...shipment(completed), carrier: 'ACME', trackingNumber: 'TRK1' },
      s,
      5,
    );
    const dl = completed.add(
      ShipmentDelivered,
      { ...shipment(completed), deliveredAt: at(6) },
      d,
      6,
    );
    completed.add(OrderCompleted, ids(orderId), dl, 7);
  }

  const outOfStock = new Journey(orderId);
  {
    const p = placed(outOfStock);
    const f = outOfStock.add(
      StockReservationFailed,
      {
        ...ids(orderId),
        shortages: [{ sku: 'MUG-001', requested: 2, available: 0, reason: 'INSUFFICIENT_STOCK' }],
      },
      p,
      1,
    );
    cancelled(outOfStock, f, 2, 'OUT_OF_STOCK');
  }

  const declined = new Journey(orderId);
  {
    const p = placed(declined);
    const r = reserved(declined, p, 1);
    const d = declined.add(
      PaymentDeclined,
      { orderId, code: 'card_declined', message: 'Declined' },
      r,
      2,
    );
    const c = cancelled(declined, d, 3, 'PAYMENT_DECLINED');
    declined.add(
      StockReleased,
      { orderId, lines: LINES.map(({ sku, quantity }) => ({ sku, quantity })) },
      c,
      4,
    );
  }

  const cancelledAfterConfirm = new Journey(orderId);
  {
    const j = cancelledAfterConfirm;
    const p = placed(j);
    const r = reserved(j, p, 1);
    const a = authorized(j, r, 2);
    const c = confirmed(j, a, 3);
    scheduled(j, c, 4);
    const x = cancelled(j, c, 5, 'CUSTOMER_REQUEST', 'CONFIRMED');
    j.add(
      StockReleased,
      { orderId, lines: LINES.map(({ sku, quantity }) => ({ sku, quantity })) },
      x,
      6,
    );
    j.add(
      PaymentRefunded,
      { orderId, paymentId: PAYMENT, amountCents: AMOUNT, currency: 'USD' },
      x,
      6,
    );
    j.add(ShipmentCancelled, shipment(j), x, 7);
  }

  // A deadline passed while the provider was silent; its late charge is refunded.
  const timedOut = new Journey(orderId);
  {
    const j = timedOut;
    const p = placed(j);
    const r = reserved(j, p, 1);
    const x = cancelled(j, p, 900, 'TIMED_OUT');
    j.add(
      StockReleased,
      { orderId, lines: LINES.map(({ sku, quantity }) => ({ sku, quantity })) },
      x,
      901,
    );
    const a = authorized(j, r, 950);
    j.add(
      PaymentRefunded,
      { orderId, paymentId: PAYMENT, amountCents: AMOUNT, currency: 'USD' },
      a,
      951,
    );
  }

  return {
    completed: completed.events,
    outOfStock: outOfStock.events,
    declined: declined.events,
    cancelledAfterConfirm: cancelledAfterConfirm.events,
    timedOut: timedOut.events,
  };
}
