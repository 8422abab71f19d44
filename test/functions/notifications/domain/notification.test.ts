import { describe, expect, it } from 'vitest';
import { notificationDecider } from '../../../../functions/notifications/domain/decider.js';
import { formatUsd, render } from '../../../../functions/notifications/domain/notification.js';
import { spec } from '../../../support/given-when-then.js';
import {
  CUSTOMER,
  ORDER,
  cancelled,
  confirmed,
  delivered,
  dispatched,
  incoming,
} from '../fixtures.js';

describe('render', () => {
  it('confirms an order with its item count and amount', () => {
    const event = confirmed([
      { sku: 'MUG', quantity: 2, unitPriceCents: 500 },
      { sku: 'TEA', quantity: 1, unitPriceCents: 234 },
    ]);
    expect(render(incoming(event))).toEqual({
      eventId: event.detail.metadata.eventId,
      customerId: CUSTOMER,
      orderId: ORDER,
      kind: 'ORDER_CONFIRMED',
      message: `Your order ${ORDER} is confirmed: 3 items, $12.34.`,
      occurredAt: '2026-05-01T10:00:00.000Z',
    });
  });

  it('says "1 item" for one', () => {
    expect(render(incoming(confirmed())).message).toBe(
      `Your order ${ORDER} is confirmed: 1 item, $12.34.`,
    );
  });

  it.each([
    [
      'OUT_OF_STOCK',
      'PENDING',
      'was cancelled: some items are out of stock. You have not been charged.',
    ],
    [
      'PAYMENT_DECLINED',
      'PENDING',
      'was cancelled: your payment was declined. You have not been charged.',
    ],
    [
      'CUSTOMER_REQUEST',
      'PENDING',
      'was cancelled as you asked. Any payment taken will be refunded.',
    ],
    ['CUSTOMER_REQUEST', 'CONFIRMED', 'was cancelled as you asked. Your payment will be refunded.'],
    [
      'TIMED_OUT',
      'PENDING',
      'was cancelled: it could not be completed in time. Any payment taken will be refunded.',
    ],
  ] as const)('explains a cancellation for %s from %s', (reason, previous, text) => {
    const n = render(incoming(cancelled(reason, previous)));
    expect(n.kind).toBe('ORDER_CANCELLED');
    expect(n.message).toBe(`Your order ${ORDER} ${text}`);
  });

  it('gives the carrier and tracking number on dispatch', () => {
    expect(render(incoming(dispatched()))).toMatchObject({
      kind: 'SHIPMENT_DISPATCHED',
      message: `Your order ${ORDER} is on its way with ParcelCo, tracking number PC123.`,
    });
  });

  it('gives the delivery date (UTC) on delivery', () => {
    expect(render(incoming(delivered('2026-05-03T23:30:00-05:00')))).toMatchObject({
      kind: 'SHIPMENT_DELIVERED',
      message: `Your order ${ORDER} was delivered on May 4, 2026.`,
    });
  });

  it('normalizes occurredAt to UTC so the index sorts by time', () => {
    const event = dispatched();
    const shifted = {
      ...incoming(event),
      detail: {
        ...event.detail,
        metadata: { ...event.detail.metadata, occurredAt: '2026-05-02T10:00:00+02:00' },
      },
    };
    expect(render(shifted).occurredAt).toBe('2026-05-02T08:00:00.000Z');
  });
});

describe('formatUsd', () => {
  it.each([
    [0, '$0.00'],
    [5, '$0.05'],
    [1234, '$12.34'],
    [123456789, '$1,234,567.89'],
  ])('formats %i cents as %s', (cents, text) => {
    expect(formatUsd(cents)).toBe(text);
  });
});

describe('one notification per event', () => {
  const notifications = spec(notificationDecider);
  const event = incoming(confirmed());

  it('records the first delivery', () => {
    notifications
      .given([])
      .when({ type: 'RecordNotification', event })
      .then([{ type: 'NotificationRecorded', notification: render(event) }]);
  });

  it('records nothing for a redelivery or a replay', () => {
    notifications
      .given([{ type: 'NotificationRecorded', notification: render(event) }])
      .when({ type: 'RecordNotification', event })
      .thenNothing();
  });
});
