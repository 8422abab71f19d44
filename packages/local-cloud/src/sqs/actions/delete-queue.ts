import type { DeleteQueueRequest } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { queueUrl } from '../input.js';
import { defineAction } from './action.js';

const input = z.object(queueUrl) satisfies z.ZodType<DeleteQueueRequest>;

/** https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteQueue.html */
export const deleteQueue = defineAction({
  input,
  run(host, i): Record<string, never> {
    const q = host.queueByUrl(i.QueueUrl);
    q.close();
    host.queues.delete(q.name);
    host.deletedAt.set(q.name, Date.now());
    for (const t of host.tasks.get(q.arn) ?? []) t.stop();
    host.tasks.delete(q.arn);
    return {};
  },
});
