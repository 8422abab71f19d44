import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import type { Context, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { createEvent } from '#events/contract.js';
import { OrderDeadlinePassed } from '#events';
import { createConsumer } from '#plumbing/consumer.js';
import {
  deadlineMessage,
  schedulerDeadlines,
} from '../../../../functions/orders/adapters/scheduler-deadlines.js';
import { deadlineEventId } from '../../../../functions/orders/domain/deadline.js';
import { makeHandle } from '../../../../functions/orders/handlers/on-event.js';
import { consumes, scheduledConsumes } from '../../../../functions/orders/consumes.js';
import type { DeadlineSchedule } from '../../../../functions/orders/ports.js';
import { ORDER_ID, orderAfter, orderPlaced } from '../support/fixtures.js';
import { inMemoryStore } from '../support/in-memory-store.js';

const scheduler = mockClient(SchedulerClient);
beforeEach(() => scheduler.reset());

const target = {
  groupName: 'Shop-Orders-deadlines',
  queueArn: 'arn:aws:sqs:eu-west-1:111122223333:orders-subscription',
  roleArn: 'arn:aws:iam::111122223333:role/deadlines-scheduler',
  deadLetterArn: 'arn:aws:sqs:eu-west-1:111122223333:orders-deadlines-dlq',
};
const DEADLINE = new Date('2026-01-01T10:15:00.000Z');
const schedule: DeadlineSchedule = {
  orderId: ORDER_ID,
  fireAt: DEADLINE,
  event: createEvent(
    OrderDeadlinePassed,
    { orderId: ORDER_ID, deadline: DEADLINE.toISOString() },
    { correlationId: ORDER_ID, causationId: 'placed-1' },
    () => DEADLINE,
    () => deadlineEventId(ORDER_ID),
  ),
};
const ports = () => schedulerDeadlines(new SchedulerClient({ region: 'eu-west-1' }), target);

describe('EventBridge Scheduler deadlines', () => {
  it('creates one one-time UTC schedule per order, deleted after it fires, with retries and a DLQ', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });
    expect(await ports().scheduleDeadline(schedule)).toBe('created');
    expect(scheduler).toHaveReceivedCommandWith(CreateScheduleCommand, {
      Name: `order-${ORDER_ID}`,
      GroupName: 'Shop-Orders-deadlines',
      ScheduleExpression: 'at(2026-01-01T10:15:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: target.queueArn,
        RoleArn: target.roleArn,
        Input: deadlineMessage(schedule),
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
        DeadLetterConfig: { Arn: target.deadLetterArn },
      },
    });
  });

  it('answers exists when the schedule is already there (a redelivered stream record)', async () => {
    scheduler.on(CreateScheduleCommand).rejects(
      new ConflictException({
        Message: 'Schedule already exists.',
        message: 'Schedule already exists.',
        $metadata: {},
      }),
    );
    expect(await ports().scheduleDeadline(schedule)).toBe('exists');
  });

  it('lets any other failure through, so the stream retries', async () => {
    scheduler.on(CreateScheduleCommand).rejects(new Error('Rate exceeded'));
    await expect(ports().scheduleDeadline(schedule)).rejects.toThrow('Rate exceeded');
  });

  it('deletes the order schedule from its group; one already gone is fine', async () => {
    scheduler
      .on(DeleteScheduleCommand)
      .resolvesOnce({})
      .rejects(
        new ResourceNotFoundException({
          Message: 'Schedule not found.',
          message: 'Schedule not found.',
          $metadata: {},
        }),
      );
    expect(await ports().cancelDeadline(ORDER_ID)).toBe('deleted');
    expect(await ports().cancelDeadline(ORDER_ID)).toBe('gone');
    expect(scheduler).toHaveReceivedCommandWith(DeleteScheduleCommand, {
      Name: `order-${ORDER_ID}`,
      GroupName: 'Shop-Orders-deadlines',
    });
  });

  it('its Input is an SQS body the orders consumer parses, and it times the order out once', async () => {
    const store = inMemoryStore();
    store.seed(orderAfter(orderPlaced()));
    const consume = createConsumer({
      consumes: [...consumes, ...scheduledConsumes],
      handle: makeHandle({ ...store, now: () => DEADLINE }),
    });
    // As SQS hands Lambda what Scheduler sent.
    const record: SQSRecord = {
      messageId: 'm1',
      receiptHandle: 'r1',
      body: deadlineMessage(schedule),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(DEADLINE.getTime()),
        SenderId: 'AROAEXAMPLE:scheduler',
        ApproximateFirstReceiveTimestamp: String(DEADLINE.getTime()),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: target.queueArn,
      awsRegion: 'eu-west-1',
    };
    const context = { getRemainingTimeInMillis: () => 30_000 } as unknown as Context;

    expect(await consume({ Records: [record] }, context)).toEqual({ batchItemFailures: [] });
    // A second firing (same eventId) changes nothing more.
    await consume({ Records: [{ ...record, messageId: 'm2' }] }, context);

    expect(store.orders.get(ORDER_ID)?.order).toMatchObject({
      status: 'CANCELLED',
      reason: 'TIMED_OUT',
    });
    expect(store.outbox.map((e) => [e.detailType, e.detail.data])).toEqual([
      [
        'OrderCancelled',
        expect.objectContaining({ reason: 'TIMED_OUT', previousStatus: 'PENDING' }),
      ],
    ]);
    expect(store.outbox[0]?.detail.metadata.causationId).toBe(deadlineEventId(ORDER_ID));
  });
});
