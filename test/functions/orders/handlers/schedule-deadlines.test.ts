import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createEvent, type DomainEvent } from '#events/contract.js';
import { OrderCancelled, OrderCompleted, OrderConfirmed, OrderPlaced } from '#events';
import { outboxRow } from '#plumbing/outbox.js';
import { makeScheduleDeadlines } from '../../../../functions/orders/handlers/schedule-deadlines.js';
import type { DeadlineSchedule } from '../../../../functions/orders/ports.js';
import {
  CUSTOMER_ID,
  lines,
  ORDER_ID,
  orderConfirmed,
  paymentTokenCiphertext,
  shippingAddressCiphertext,
} from '../support/fixtures.js';

const PLACED_AT = '2026-01-01T10:00:00.250Z';
const cause = { correlationId: ORDER_ID, causationId: 'req-1' };

const placed = (orderId = ORDER_ID) =>
  createEvent(
    OrderPlaced,
    {
      orderId,
      customerId: CUSTOMER_ID,
      lines,
      paymentTokenCiphertext,
      shippingAddressCiphertext,
      placedAt: PLACED_AT,
    },
    { ...cause, correlationId: orderId },
  );
const confirmed = () => createEvent(OrderConfirmed, orderConfirmed().data, cause);
const cancelled = () =>
  createEvent(
    OrderCancelled,
    {
      orderId: ORDER_ID,
      customerId: CUSTOMER_ID,
      reason: 'CUSTOMER_REQUEST',
      previousStatus: 'PENDING',
    },
    cause,
  );

let sequence = 100;
const inserted = (event: DomainEvent): DynamoDBRecord => ({
  eventName: 'INSERT',
  dynamodb: { SequenceNumber: String(sequence++), NewImage: marshall(outboxRow(event)) as never },
});
const stream = (...records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });

/** A scheduler that remembers what it holds, as Scheduler does: one schedule per name. */
function fakeScheduler(options: { failCreateOf?: string } = {}) {
  const schedules = new Map<string, DeadlineSchedule>();
  const calls: string[] = [];
  return {
    schedules,
    calls,
    scheduleDeadline: async (schedule: DeadlineSchedule) => {
      calls.push(`create ${schedule.orderId}`);
      if (schedule.orderId === options.failCreateOf) throw new Error('ThrottlingException');
      if (schedules.has(schedule.orderId)) return 'exists' as const;
      schedules.set(schedule.orderId, schedule);
      return 'created' as const;
    },
    cancelDeadline: async (orderId: string) => {
      calls.push(`delete ${orderId}`);
      return schedules.delete(orderId) ? ('deleted' as const) : ('gone' as const);
    },
  };
}

const NOW = new Date('2026-01-01T10:00:01.000Z');

describe('schedule-deadlines (orders table stream)', () => {
  it('OrderPlaced schedules OrderDeadlinePassed at placedAt + the deadline, rounded up to the second', async () => {
    const scheduler = fakeScheduler();
    const handle = makeScheduleDeadlines({ ...scheduler, deadlineSeconds: 900, now: () => NOW });
    const event = placed();

    expect(await handle(stream(inserted(event)))).toEqual({ batchItemFailures: [] });

    const schedule = scheduler.schedules.get(ORDER_ID);
    expect(schedule?.fireAt.toISOString()).toBe('2026-01-01T10:15:01.000Z');
    expect(schedule?.event).toMatchObject({
      source: 'shop.orders',
      detailType: 'OrderDeadlinePassed',
      detail: {
        metadata: {
          occurredAt: '2026-01-01T10:15:01.000Z',
          correlationId: ORDER_ID,
          causationId: event.detail.metadata.eventId,
          schemaVersion: 1,
        },
        data: { orderId: ORDER_ID, deadline: '2026-01-01T10:15:01.000Z' },
      },
    });
  });

  it('gives every firing of one order the same eventId, and another order another one', async () => {
    const scheduler = fakeScheduler();
    const handle = makeScheduleDeadlines({ ...scheduler, deadlineSeconds: 60, now: () => NOW });
    const other = 'ord_ffffffffffffffffffffffffffffffff';
    await handle(stream(inserted(placed()), inserted(placed(other))));
    const first = scheduler.schedules.get(ORDER_ID)!.event.detail.metadata.eventId;

    const again = fakeScheduler();
    await makeScheduleDeadlines({ ...again, deadlineSeconds: 60, now: () => NOW })(
      stream(inserted(placed())),
    );
    expect(again.schedules.get(ORDER_ID)!.event.detail.metadata.eventId).toBe(first);
    expect(scheduler.schedules.get(other)!.event.detail.metadata.eventId).not.toBe(first);
  });

  it('a redelivered OrderPlaced finds its schedule there and succeeds (idempotent on the order id)', async () => {
    const scheduler = fakeScheduler();
    const handle = makeScheduleDeadlines({ ...scheduler, deadlineSeconds: 60, now: () => NOW });
    const record = inserted(placed());
    await handle(stream(record));
    expect(await handle(stream(record))).toEqual({ batchItemFailures: [] });
    expect(scheduler.schedules.size).toBe(1);
  });

  it('OrderConfirmed and OrderCancelled delete the schedule; a schedule already gone is fine', async () => {
    const scheduler = fakeScheduler();
    const handle = makeScheduleDeadlines({ ...scheduler, deadlineSeconds: 60, now: () => NOW });
    await handle(stream(inserted(placed()), inserted(confirmed())));
    expect(scheduler.schedules.size).toBe(0);

    expect(await handle(stream(inserted(cancelled())))).toEqual({ batchItemFailures: [] });
    expect(scheduler.calls).toEqual([
      `create ${ORDER_ID}`,
      `delete ${ORDER_ID}`,
      `delete ${ORDER_ID}`,
    ]);
  });

  it('a deadline the stream brought too late fires a minute from now, never in the past', async () => {
    const scheduler = fakeScheduler();
    const late = new Date('2026-01-01T10:30:00.000Z');
    await makeScheduleDeadlines({ ...scheduler, deadlineSeconds: 60, now: () => late })(
      stream(inserted(placed())),
    );
    const schedule = scheduler.schedules.get(ORDER_ID)!;
    expect(schedule.fireAt.toISOString()).toBe('2026-01-01T10:31:00.000Z');
    expect(schedule.event.detail.data.deadline).toBe('2026-01-01T10:01:01.000Z');
  });

  it('ignores other outbox rows, non-outbox items and anything but inserts', async () => {
    const scheduler = fakeScheduler();
    const handle = makeScheduleDeadlines({ ...scheduler, deadlineSeconds: 60, now: () => NOW });
    const completed = createEvent(
      OrderCompleted,
      { orderId: ORDER_ID, customerId: CUSTOMER_ID },
      cause,
    );
    const orderItem: DynamoDBRecord = {
      eventName: 'MODIFY',
      dynamodb: { SequenceNumber: '1', NewImage: marshall({ pk: `ORDER#${ORDER_ID}` }) as never },
    };
    const removed: DynamoDBRecord = { ...inserted(placed()), eventName: 'REMOVE' };

    expect(await handle(stream(inserted(completed), orderItem, removed))).toEqual({
      batchItemFailures: [],
    });
    expect(scheduler.calls).toEqual([]);
  });

  it('hands the batch back from the first record that failed, so the stream retries from there', async () => {
    const failing = 'ord_eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee';
    const scheduler = fakeScheduler({ failCreateOf: failing });
    const handle = makeScheduleDeadlines({ ...scheduler, deadlineSeconds: 60, now: () => NOW });
    const ok = inserted(placed());
    const bad = inserted(placed(failing));
    const after = inserted(confirmed());

    const response = await handle(stream(ok, bad, after));

    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: bad.dynamodb!.SequenceNumber }],
    });
    // The record after the failure is left for the retry.
    expect(scheduler.calls).toEqual([`create ${ORDER_ID}`, `create ${failing}`]);
  });
});
