import type { ListMessageMoveTasksRequest } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { optionalInt, requiredString } from '../input.js';
import { defineAction } from './action.js';
import { notFound } from './start-message-move-task.js';

const input = z.object({
  SourceArn: requiredString('SourceArn'),
  MaxResults: optionalInt(1, 10, 'Must be between 1 and 10.'),
}) satisfies z.ZodType<ListMessageMoveTasksRequest>;

/** https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListMessageMoveTasks.html */
export const listMessageMoveTasks = defineAction({
  input,
  run(host, i) {
    if (!host.queueByArn(i.SourceArn)) throw notFound('SourceArn', i.SourceArn);
    const tasks = host.tasks.get(i.SourceArn) ?? [];
    return { Results: tasks.slice(0, i.MaxResults ?? 1).map((t) => t.describe()) };
  },
});
