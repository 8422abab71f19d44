import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  SchedulerClient,
  type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import { once } from '#plumbing/lazy.js';
import type { CancelDeadline, DeadlineSchedule, ScheduleDeadline } from '../ports.js';

export const schedulerClient = once(() => new SchedulerClient({}));

/** Where deadlines are scheduled and delivered (set by the OrderDeadlines construct). */
export interface DeadlineTarget {
  /** The stack's schedule group. */
  groupName: string;
  /** The orders subscription queue the deadline event is sent to. */
  queueArn: string;
  /** The role Scheduler assumes to send to the queue and the dead-letter queue. */
  roleArn: string;
  /** Where Scheduler puts a deadline it could not deliver after its retries. */
  deadLetterArn: string;
}

/** One schedule per order, so the order id is the idempotency key. */
export const scheduleName = (orderId: string) => `order-${orderId}`;

/** Scheduler's retry policy on the target: as long and as often as EventBridge rules retry. */
export const DEADLINE_RETRY_POLICY = {
  MaximumRetryAttempts: 185,
  MaximumEventAgeInSeconds: 86_400,
};

/** `at(2026-01-01T10:15:00)`: UTC, whole seconds, as ScheduleExpressionTimezone UTC reads it. */
export const atExpression = (when: Date) => `at(${when.toISOString().slice(0, 19)})`;

/**
 * The schedule's Input: the event shaped as EventBridge delivers one to a
 * queue, so the orders consumer parses it with its contract like any other.
 */
export function deadlineMessage(schedule: DeadlineSchedule): string {
  const { event } = schedule;
  return JSON.stringify({
    version: '0',
    id: event.detail.metadata.eventId,
    source: event.source,
    'detail-type': event.detailType,
    time: event.detail.metadata.occurredAt,
    resources: [],
    detail: event.detail,
  });
}

export function createScheduleInput(
  target: DeadlineTarget,
  schedule: DeadlineSchedule,
): CreateScheduleCommandInput {
  return {
    Name: scheduleName(schedule.orderId),
    GroupName: target.groupName,
    Description: `Deadline of order ${schedule.orderId}: times it out unless it settled first`,
    ScheduleExpression: atExpression(schedule.fireAt),
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' },
    ActionAfterCompletion: 'DELETE',
    Target: {
      Arn: target.queueArn,
      RoleArn: target.roleArn,
      Input: deadlineMessage(schedule),
      RetryPolicy: DEADLINE_RETRY_POLICY,
      DeadLetterConfig: { Arn: target.deadLetterArn },
    },
  };
}

/** The deadline ports on EventBridge Scheduler. */
export function schedulerDeadlines(
  client: SchedulerClient,
  target: DeadlineTarget,
): { scheduleDeadline: ScheduleDeadline; cancelDeadline: CancelDeadline } {
  return {
    scheduleDeadline: async (schedule) => {
      try {
        await client.send(new CreateScheduleCommand(createScheduleInput(target, schedule)));
        return 'created';
      } catch (error) {
        // A redelivered stream record: the schedule of this order is already there.
        if (isError(error, 'ConflictException')) return 'exists';
        throw error;
      }
    },
    cancelDeadline: async (orderId) => {
      try {
        await client.send(
          new DeleteScheduleCommand({ Name: scheduleName(orderId), GroupName: target.groupName }),
        );
        return 'deleted';
      } catch (error) {
        // Fired and deleted itself (ActionAfterCompletion), or deleted by an earlier delivery.
        if (isError(error, 'ResourceNotFoundException')) return 'gone';
        throw error;
      }
    },
  };
}

/** By name, as the SDK sets it: also true of an error class from another copy of the SDK. */
const isError = (error: unknown, name: string) => error instanceof Error && error.name === name;
