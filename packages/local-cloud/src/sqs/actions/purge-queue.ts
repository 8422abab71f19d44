import type { PurgeQueueRequest } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { sqsError } from '../errors.js';
import { queueUrl } from '../input.js';
import { defineAction } from './action.js';

const PURGE_EVERY_MS = 60_000;

const input = z.object(queueUrl) satisfies z.ZodType<PurgeQueueRequest>;

/** https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_PurgeQueue.html */
export const purgeQueue = defineAction({
  input,
  run(host, i): Record<string, never> {
    const q = host.queueByUrl(i.QueueUrl);
    if (Date.now() - q.lastPurgeAt < PURGE_EVERY_MS) {
      throw sqsError(
        'PurgeQueueInProgress',
        `Only one PurgeQueue operation on ${q.name} is allowed every 60 seconds.`,
      );
    }
    q.purge();
    return {};
  },
});
