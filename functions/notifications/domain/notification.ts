import type { DetailOf, EventContract } from '#events/contract.js';
import type {
  OrderCancelled,
  OrderConfirmed,
  ShipmentDelivered,
  ShipmentDispatched,
} from '#events';

/** A customer-facing event as it arrives: its detail-type and its validated detail. */
type Incoming<C extends EventContract> = { 'detail-type': C['detailType']; detail: DetailOf<C> };

export type CustomerFacingEvent =
  | Incoming<typeof OrderConfirmed>
  | Incoming<typeof OrderCancelled>
  | Incoming<typeof ShipmentDispatched>
  | Incoming<typeof ShipmentDelivered>;

export type NotificationKind =
  'ORDER_CONFIRMED' | 'ORDER_CANCELLED' | 'SHIPMENT_DISPATCHED' | 'SHIPMENT_DELIVERED';

/** One message to one customer, for exactly one event (its eventId is the identity). */
export interface Notification {
  eventId: string;
  customerId: string;
  orderId: string;
  kind: NotificationKind;
  message: string;
  /** UTC ISO-8601, so notifications sort by time as strings. */
  occurredAt: string;
}

/** `$1,234.05` from cents, in integer arithmetic: no float ever touches money. */
export function formatUsd(cents: number): string {
  const dollars = Math.floor(cents / 100).toLocaleString('en-US');
  return `$${dollars}.${String(cents % 100).padStart(2, '0')}`;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

const longDate = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' });

function cancellationText(data: DetailOf<typeof OrderCancelled>['data']): string {
  const order = `Your order ${data.orderId} was cancelled`;
  switch (data.reason) {
    case 'OUT_OF_STOCK':
      return `${order}: some items are out of stock. You have not been charged.`;
    case 'PAYMENT_DECLINED':
      return `${order}: your payment was declined. You have not been charged.`;
    case 'CUSTOMER_REQUEST':
      // A confirmed order was charged; a pending one may have been charged in the meantime.
      return data.previousStatus === 'CONFIRMED'
        ? `${order} as you asked. Your payment will be refunded.`
        : `${order} as you asked. Any payment taken will be refunded.`;
    case 'TIMED_OUT':
      return `${order}: it could not be completed in time. Any payment taken will be refunded.`;
    default: {
      const _exhaustive: never = data.reason;
      return _exhaustive;
    }
  }
}

function content(event: CustomerFacingEvent): { kind: NotificationKind; message: string } {
  switch (event['detail-type']) {
    case 'OrderConfirmed': {
      const { orderId, lines, amountCents } = event.detail.data;
      const items = lines.reduce((sum, l) => sum + l.quantity, 0);
      return {
        kind: 'ORDER_CONFIRMED',
        message: `Your order ${orderId} is confirmed: ${plural(items, 'item', 'items')}, ${formatUsd(amountCents)}.`,
      };
    }
    case 'OrderCancelled':
      return { kind: 'ORDER_CANCELLED', message: cancellationText(event.detail.data) };
    case 'ShipmentDispatched': {
      const { orderId, carrier, trackingNumber } = event.detail.data;
      return {
        kind: 'SHIPMENT_DISPATCHED',
        message: `Your order ${orderId} is on its way with ${carrier}, tracking number ${trackingNumber}.`,
      };
    }
    case 'ShipmentDelivered': {
      const { orderId, deliveredAt } = event.detail.data;
      return {
        kind: 'SHIPMENT_DELIVERED',
        message: `Your order ${orderId} was delivered on ${longDate.format(new Date(deliveredAt))}.`,
      };
    }
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

/** The notification of a customer-facing event: pure, so a redelivery renders the same one. */
export function render(event: CustomerFacingEvent): Notification {
  const { metadata, data } = event.detail;
  return {
    eventId: metadata.eventId,
    customerId: data.customerId,
    orderId: data.orderId,
    ...content(event),
    occurredAt: new Date(metadata.occurredAt).toISOString(),
  };
}
