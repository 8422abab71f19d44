import type { StartMessageMoveTaskRequest, StartMessageMoveTaskResult } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { invalidValue, sqsError } from '../errors.js';
import { optionalInt, optionalString, requiredString } from '../input.js';
import { MoveTask } from '../move-tasks.js';
import { defineAction } from './action.js';

const input = z.object({
  SourceArn: requiredString('SourceArn'),
  DestinationArn: optionalString('DestinationArn'),
  MaxNumberOfMessagesPerSecond: optionalInt(1, 500, 'Must be between 1 and 500.'),
}) satisfies z.ZodType<StartMessageMoveTaskRequest>;

/** https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html */
export const startMessageMoveTask = defineAction({
  input,
  run(host, i): StartMessageMoveTaskResult {
    const source = host.queueByArn(i.SourceArn);
    if (!source) throw notFound('SourceArn', i.SourceArn);
    const isDlq = [...host.queues.values()].some(
      (q) => q.config.RedrivePolicy?.deadLetterTargetArn === i.SourceArn,
    );
    if (!isDlq) {
      throw invalidValue(
        'SourceArn',
        i.SourceArn,
        'Source queue must be configured as a Dead Letter Queue. (local cloud: no queue names it in its RedrivePolicy.)',
      );
    }
    if (i.DestinationArn !== undefined && !host.queueByArn(i.DestinationArn)) {
      throw notFound('DestinationArn', i.DestinationArn);
    }
    const list = host.tasks.get(i.SourceArn) ?? [];
    if (list.some((t) => t.status === 'RUNNING' || t.status === 'CANCELLING')) {
      throw sqsError(
        'InvalidParameterValue',
        'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
      );
    }
    const task = new MoveTask(source, host, i.DestinationArn, i.MaxNumberOfMessagesPerSecond);
    list.unshift(task);
    host.tasks.set(i.SourceArn, list.slice(0, 10));
    return { TaskHandle: task.handle };
  },
});

export const notFound = (parameter: string, arn: string) =>
  sqsError(
    'ResourceNotFoundException',
    `The resource that you specified for the ${parameter} parameter doesn't exist. (local cloud: ${arn})`,
  );
