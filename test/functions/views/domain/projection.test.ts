import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { viewsDecider, type ViewsEvent } from '../../../../functions/views/domain/decider.js';
import type { JourneyEvent } from '../../../../functions/views/domain/journey.js';
import { project, type OrderView } from '../../../../functions/views/domain/order-view.js';
import { orderSummary, timelineOf } from '../../../../functions/views/domain/render.js';
import { spec } from '../../../support/given-when-then.js';
import { AMOUNT, at, CUSTOMER, journeys, LINES, ORDER, PAYMENT, SHIPMENT } from '../fixtures.js';

const views = spec(viewsDecider);
const projected = (event: JourneyEvent): ViewsEvent => ({ type: 'EventProjected', event });
const project_ = (event: JourneyEvent) => ({ type: 'ProjectEvent' as const, event });
const fold = (events: readonly JourneyEvent[]): OrderView | undefined =>
  events.reduce<OrderView | undefined>(project, undefined);
const JOURNEYS = journeys();

describe('the view of each journey, events in the order they were emitted', () => {
  it('a completed order: priced lines, the charge, the delivered shipment with its carrier', () => {
    const view = fold(JOURNEYS['completed']!)!;
    expect(orderSummary(view)).toEqual({
      orderId: ORDER,
      status: 'COMPLETED',
      amountCents: AMOUNT,
      currency: 'USD',
      lines: LINES,
      payment: { status: 'AUTHORIZED', authorizedCents: AMOUNT, refundedCents: 0 },
      shipment: {
        status: 'DELIVERED',
        shipmentId: SHIPMENT,
        carrier: 'ACME',
        trackingNumber: 'TRK1',
      },
      placedAt: at(0),
      updatedAt: at(7),
    });
    expect(view.customerId).toBe(CUSTOMER);
  });

  it('out of stock: cancelled with its reason, never priced, nothing charged', () => {
    expect(orderSummary(fold(JOURNEYS['outOfStock']!)!)).toEqual({
      orderId: ORDER,
      status: 'CANCELLED',
      reason: 'OUT_OF_STOCK',
      lines: LINES.map(({ sku, quantity }) => ({ sku, quantity })),
      payment: { status: 'PENDING', authorizedCents: 0, refundedCents: 0 },
      shipment: { status: 'NONE' },
      placedAt: at(0),
      updatedAt: at(2),
    });
  });

  it('declined: cancelled PAYMENT_DECLINED, the payment DECLINED, the lines priced', () => {
    expect(orderSummary(fold(JOURNEYS['declined']!)!)).toMatchObject({
      status: 'CANCELLED',
      reason: 'PAYMENT_DECLINED',
      amountCents: AMOUNT,
      payment: { status: 'DECLINED', authorizedCents: 0, refundedCents: 0 },
    });
  });

  it('cancelled after confirmation: refunded in full, the shipment cancelled', () => {
    expect(orderSummary(fold(JOURNEYS['cancelledAfterConfirm']!)!)).toMatchObject({
      status: 'CANCELLED',
      reason: 'CUSTOMER_REQUEST',
      payment: { status: 'REFUNDED', authorizedCents: AMOUNT, refundedCents: AMOUNT },
      shipment: { status: 'CANCELLED', shipmentId: SHIPMENT },
    });
  });

  it('timed out, with any reason string the orders service sends, and its late charge refunded', () => {
    expect(orderSummary(fold(JOURNEYS['timedOut']!)!)).toMatchObject({
      status: 'CANCELLED',
      reason: 'TIMED_OUT',
      payment: { status: 'REFUNDED', authorizedCents: AMOUNT, refundedCents: AMOUNT },
    });
  });

  it('lists the timeline in causal order even when a cause is stamped later than its effect', () => {
    const [placedEvent, reservedEvent] = JOURNEYS['outOfStock']!;
    // Inventory's clock runs behind: its event says it happened before the order was placed.
    const skewed = structuredClone(reservedEvent!);
    skewed.detail.metadata.occurredAt = '2026-05-01T09:59:59.000Z';
    const { events } = timelineOf(fold([skewed, placedEvent!])!);
    expect(events.map((e) => e.type)).toEqual(['OrderPlaced', 'StockReservationFailed']);
    expect(events[1]).toEqual({
      type: 'StockReservationFailed',
      occurredAt: '2026-05-01T09:59:59.000Z',
      source: 'shop.inventory',
      eventId: skewed.detail.metadata.eventId,
      causationId: placedEvent!.detail.metadata.eventId,
    });
  });
});

describe('ProjectEvent', () => {
  const [placedEvent, reservedEvent] = JOURNEYS['completed']!;

  it('projects an event the view does not hold', () => {
    views
      .given([projected(placedEvent!)])
      .when(project_(reservedEvent!))
      .then([projected(reservedEvent!)]);
  });

  it('changes nothing for an event it already holds (a redelivery or a replay)', () => {
    views
      .given([projected(placedEvent!), projected(reservedEvent!)])
      .when(project_(placedEvent!))
      .thenNothing();
  });

  it('keeps the payment and shipment of an order whose OrderPlaced has not arrived, unlisted until it does', () => {
    const [, , authorizedEvent] = JOURNEYS['completed']!;
    const view = fold([authorizedEvent!])!;
    expect(view.placedAt).toBeUndefined();
    expect(orderSummary(view)).toMatchObject({
      status: 'PENDING',
      payment: { status: 'AUTHORIZED', authorizedCents: AMOUNT },
    });
    expect(view.payment.authorized?.paymentId).toBe(PAYMENT);
  });
});

/**
 * Every pair of events of a journey (a emitted before b) can overtake each
 * other on the bus: given every other event and b, when a arrives last, then
 * the view is the one of the journey in order.
 */
describe('every pair of events that can overtake each other', () => {
  const cases = Object.entries(JOURNEYS).flatMap(([name, events]) =>
    events.flatMap((a, i) =>
      events.slice(i + 1).map((b) => ({
        name: `${name}: ${b['detail-type']} before ${a['detail-type']}`,
        a,
        given: events.filter((e) => e !== a),
        inOrder: events,
      })),
    ),
  );

  it('covers every pair of every journey', () => {
    const pairs = Object.values(JOURNEYS).reduce((n, e) => n + (e.length * (e.length - 1)) / 2, 0);
    expect(cases).toHaveLength(pairs);
  });

  it.each(cases)('$name', ({ a, given, inOrder }) => {
    views
      .given(given.map(projected))
      .when(project_(a))
      .thenState((view) => expect(view).toEqual(fold(inOrder)));
  });
});

describe('order-insensitive and idempotent', () => {
  it('any permutation of a journey, with any duplicates, gives the same view', () => {
    for (const events of Object.values(JOURNEYS)) {
      const expected = fold(events);
      fc.assert(
        fc.property(
          fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
          fc.array(fc.constantFrom(...events), { maxLength: 6 }),
          fc.array(fc.nat(), { maxLength: 6 }),
          (shuffled, duplicates, positions) => {
            const delivered = [...shuffled];
            duplicates.forEach((d, i) =>
              delivered.splice((positions[i] ?? 0) % (delivered.length + 1), 0, d),
            );
            expect(fold(delivered)).toEqual(expected);
          },
        ),
        { numRuns: 200 },
      );
    }
  });

  it('a late CONFIRMED never rolls a CANCELLED view back, nor a late PLACED a COMPLETED one', () => {
    const cancelledAfter = JOURNEYS['cancelledAfterConfirm']!;
    const confirmedEvent = cancelledAfter.find((e) => e['detail-type'] === 'OrderConfirmed')!;
    const rest = cancelledAfter.filter((e) => e !== confirmedEvent);
    expect(fold([...rest, confirmedEvent])?.status?.value).toBe('CANCELLED');
    const completed = JOURNEYS['completed']!;
    expect(fold([...completed.slice(1), completed[0]!])?.status?.value).toBe('COMPLETED');
  });
});
