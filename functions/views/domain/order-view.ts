import type { JourneyEvent } from './journey.js';
import { latest, type Stamp } from './stamp.js';

export const ORDER_STATUSES = ['PENDING', 'CONFIRMED', 'COMPLETED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export type PaymentStatus = 'PENDING' | 'AUTHORIZED' | 'DECLINED' | 'REFUNDED';
export type ShipmentStatus = 'NONE' | 'SCHEDULED' | 'DISPATCHED' | 'DELIVERED' | 'CANCELLED';

/** A line as the order knows it: priced once inventory priced it. */
export interface ViewLine {
  sku: string;
  quantity: number;
  unitPriceCents?: number;
}

/** One event that made the view: what the timeline route answers. */
export interface TimelineEntry {
  type: string;
  occurredAt: string;
  source: string;
  eventId: string;
  causationId: string;
}

/**
 * Everything the view knows of one order, each aspect with the stamp of the
 * event it came from (see stamp.ts), so it can take later events in any order.
 */
export interface OrderView {
  orderId: string;
  customerId?: string;
  /** From OrderPlaced: until it is projected the view is not listed. */
  placedAt?: string;
  /** The latest event time among the events projected: never the clock, so a rebuild ends identical. */
  updatedAt: string;
  status?: { value: OrderStatus; reason?: string; stamp: Stamp };
  lines?: { value: ViewLine[]; amountCents?: number; currency?: string; stamp: Stamp };
  payment: {
    authorized?: { paymentId: string; amountCents: number; stamp: Stamp };
    declined?: { code: string; stamp: Stamp };
    refunded?: { amountCents: number; stamp: Stamp };
  };
  shipment: {
    shipmentId?: string;
    status?: { value: Exclude<ShipmentStatus, 'NONE'>; stamp: Stamp };
    dispatch?: { carrier: string; trackingNumber: string; stamp: Stamp };
  };
  /** A set keyed by eventId, kept sorted by (occurredAt, eventId). */
  timeline: TimelineEntry[];
}

/** A journey step outranks the ones before it; CANCELLED and COMPLETED end it. */
const ORDER_RANK: Record<OrderStatus, number> = {
  PENDING: 1,
  CONFIRMED: 2,
  COMPLETED: 3,
  CANCELLED: 3,
};
const SHIPMENT_RANK: Record<Exclude<ShipmentStatus, 'NONE'>, number> = {
  SCHEDULED: 1,
  CANCELLED: 2,
  DISPATCHED: 3,
  DELIVERED: 4,
};
/** Priced lines (inventory is the price authority) outrank the lines as ordered. */
const LINES_RANK = { OrderPlaced: 1, StockReserved: 2, OrderConfirmed: 3 } as const;

export const iso = (time: string) => new Date(time).toISOString();

export function emptyView(orderId: string): OrderView {
  return { orderId, updatedAt: '', payment: {}, shipment: {}, timeline: [] };
}

export function hasProjected(view: OrderView | undefined, eventId: string): boolean {
  return view?.timeline.some((e) => e.eventId === eventId) ?? false;
}

function entryOf(event: JourneyEvent): TimelineEntry {
  const { metadata } = event.detail;
  return {
    type: event['detail-type'],
    occurredAt: iso(metadata.occurredAt),
    source: event.source,
    eventId: metadata.eventId,
    causationId: metadata.causationId,
  };
}

const byTimeThenId = (a: TimelineEntry, b: TimelineEntry) =>
  a.occurredAt !== b.occurredAt
    ? a.occurredAt < b.occurredAt
      ? -1
      : 1
    : a.eventId < b.eventId
      ? -1
      : a.eventId > b.eventId
        ? 1
        : 0;

/**
 * Folds one event into the view. Pure; a repeat of an event already in the
 * timeline returns the view unchanged.
 */
export function project(current: OrderView | undefined, event: JourneyEvent): OrderView {
  const view = current ?? emptyView(event.detail.data.orderId);
  const entry = entryOf(event);
  if (hasProjected(view, entry.eventId)) return view;
  const stamp = (rank: number): Stamp => ({ rank, at: entry.occurredAt, eventId: entry.eventId });
  const next: OrderView = {
    ...view,
    payment: { ...view.payment },
    shipment: { ...view.shipment },
    updatedAt: entry.occurredAt > view.updatedAt ? entry.occurredAt : view.updatedAt,
    timeline: [...view.timeline, entry].sort(byTimeThenId),
  };
  if ('customerId' in event.detail.data) next.customerId = event.detail.data.customerId;
  const status = (value: OrderStatus, reason?: string) => {
    next.status = latest(next.status, {
      value,
      ...(reason !== undefined && { reason }),
      stamp: stamp(ORDER_RANK[value]),
    });
  };
  const shipment = (value: Exclude<ShipmentStatus, 'NONE'>, shipmentId: string) => {
    next.shipment.shipmentId = shipmentId;
    next.shipment.status = latest(next.shipment.status, {
      value,
      stamp: stamp(SHIPMENT_RANK[value]),
    });
  };

  switch (event['detail-type']) {
    case 'OrderPlaced': {
      const { lines, placedAt } = event.detail.data;
      next.placedAt = iso(placedAt);
      status('PENDING');
      next.lines = latest(next.lines, {
        value: lines.map(({ sku, quantity }) => ({ sku, quantity })),
        stamp: stamp(LINES_RANK.OrderPlaced),
      });
      break;
    }
    case 'StockReserved':
    case 'OrderConfirmed': {
      const { lines, amountCents, currency } = event.detail.data;
      if (event['detail-type'] === 'OrderConfirmed') status('CONFIRMED');
      next.lines = latest(next.lines, {
        value: lines.map(({ sku, quantity, unitPriceCents }) => ({
          sku,
          quantity,
          unitPriceCents,
        })),
        amountCents,
        currency,
        stamp: stamp(LINES_RANK[event['detail-type']]),
      });
      break;
    }
    case 'OrderCompleted':
      status('COMPLETED');
      break;
    case 'OrderCancelled':
      // Any reason string: the saga may grow reasons (TIMED_OUT) without the view changing.
      status('CANCELLED', event.detail.data.reason);
      break;
    case 'StockReservationFailed':
    case 'StockReleased':
      // In the timeline only: the order's own events say what they meant for it.
      break;
    case 'PaymentAuthorized': {
      const { paymentId, amountCents } = event.detail.data;
      next.payment.authorized = latest(next.payment.authorized, {
        paymentId,
        amountCents,
        stamp: stamp(1),
      });
      break;
    }
    case 'PaymentDeclined':
      next.payment.declined = latest(next.payment.declined, {
        code: event.detail.data.code,
        stamp: stamp(1),
      });
      break;
    case 'PaymentRefunded':
      next.payment.refunded = latest(next.payment.refunded, {
        amountCents: event.detail.data.amountCents,
        stamp: stamp(1),
      });
      break;
    case 'ShipmentScheduled':
      shipment('SCHEDULED', event.detail.data.shipmentId);
      break;
    case 'ShipmentDispatched': {
      const { shipmentId, carrier, trackingNumber } = event.detail.data;
      shipment('DISPATCHED', shipmentId);
      next.shipment.dispatch = latest(next.shipment.dispatch, {
        carrier,
        trackingNumber,
        stamp: stamp(1),
      });
      break;
    }
    case 'ShipmentDelivered':
      shipment('DELIVERED', event.detail.data.shipmentId);
      break;
    case 'ShipmentCancelled':
      shipment('CANCELLED', event.detail.data.shipmentId);
      break;
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
  return next;
}

/** What the payment is now: a refund ends it, then a charge, then a decline. */
export function paymentStatus(view: OrderView): PaymentStatus {
  const { authorized, declined, refunded } = view.payment;
  if (refunded) return 'REFUNDED';
  if (authorized) return 'AUTHORIZED';
  if (declined) return 'DECLINED';
  return 'PENDING';
}
