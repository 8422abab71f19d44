import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { createEvent, type DetailOf } from '#events/contract.js';
import { OrderCancelled, OrderConfirmed, OrderDeadlinePassed, OrderPlaced } from '#events';
import { instrument } from '#plumbing/lambda.js';
import { lazyHandler } from '#plumbing/lazy.js';
import { OUTBOX_KIND, type OutboxRow } from '#plumbing/outbox.js';
import { logger } from '#plumbing/powertools.js';
import { defaultDeps, orderDeadlineSeconds } from '../adapters/default-deps.js';
import { deadlineEventId, deadlineOf, fireAt } from '../domain/deadline.js';
import type { CancelDeadline, DeadlineSchedule, ScheduleDeadline } from '../ports.js';

export interface ScheduleDeadlinesDeps {
  scheduleDeadline: ScheduleDeadline;
  cancelDeadline: CancelDeadline;
  /** The orderDeadline the stack was deployed with (ORDER_DEADLINE_SECONDS). */
  deadlineSeconds: number;
  now: () => Date;
}

/** The outbox rows this function acts on; the event-source mapping's filter keeps only these. */
export const DEADLINE_TRIGGERS = [OrderPlaced, OrderConfirmed, OrderCancelled] as const;
const SETTLING = new Set<string>([OrderConfirmed.detailType, OrderCancelled.detailType]);

/** The schedule an OrderPlaced outbox row asks for. */
export function deadlineScheduleFor(
  placed: DetailOf<typeof OrderPlaced>,
  deadlineSeconds: number,
  now: Date,
): DeadlineSchedule {
  const { orderId, placedAt } = placed.data;
  const deadline = deadlineOf(placedAt, deadlineSeconds);
  const event = createEvent(
    OrderDeadlinePassed,
    { orderId, deadline: deadline.toISOString() },
    { correlationId: placed.metadata.correlationId, causationId: placed.metadata.eventId },
    () => deadline,
    () => deadlineEventId(orderId),
  );
  return { orderId, fireAt: fireAt(deadline, now), event };
}

function outboxRowOf(record: DynamoDBRecord): OutboxRow | undefined {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !image) return undefined;
  const row = unmarshall(image as Record<string, AttributeValue>) as Partial<OutboxRow>;
  return row.kind === OUTBOX_KIND ? (row as OutboxRow) : undefined;
}

/**
 * Keeps one deadline schedule per open order, from the orders table's stream
 * (no dual write: the schedule follows the outbox row the order's transaction
 * wrote). OrderPlaced creates it; OrderConfirmed and OrderCancelled delete it
 * (a deadline that fires anyway changes nothing: the decider ignores it). Both
 * calls are idempotent, so a failed record is handed back from there and the
 * stream retries it and everything after it.
 */
export function makeScheduleDeadlines(deps: ScheduleDeadlinesDeps) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    for (const record of event.Records) {
      const row = outboxRowOf(record);
      if (!row) continue;
      try {
        if (row.detailType === OrderPlaced.detailType) {
          const placed = OrderPlaced.detailSchema.parse(JSON.parse(row.detail));
          const schedule = deadlineScheduleFor(placed, deps.deadlineSeconds, deps.now());
          const result = await deps.scheduleDeadline(schedule);
          logger.info('Order deadline scheduled', {
            orderId: schedule.orderId,
            deadline: schedule.event.detail.data.deadline,
            fireAt: schedule.fireAt.toISOString(),
            result,
          });
        } else if (SETTLING.has(row.detailType)) {
          const { orderId } = (JSON.parse(row.detail) as { data: { orderId: string } }).data;
          const result = await deps.cancelDeadline(orderId);
          logger.info('Order settled; its deadline is deleted', {
            orderId,
            settledBy: row.detailType,
            result,
          });
        }
      } catch (error) {
        const sequenceNumber = record.dynamodb?.SequenceNumber ?? '';
        logger.error('Deadline not scheduled or deleted; the stream retries from this record', {
          error,
          eventId: row.eventId,
          detailType: row.detailType,
          sequenceNumber,
        });
        return { batchItemFailures: [{ itemIdentifier: sequenceNumber }] };
      }
    }
    return { batchItemFailures: [] };
  };
}

export const handler = instrument(
  lazyHandler(() =>
    makeScheduleDeadlines({ ...defaultDeps(), deadlineSeconds: orderDeadlineSeconds() }),
  ),
);
