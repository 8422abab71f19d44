import type { GetQueueUrlRequest, GetQueueUrlResult } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { noSuchQueue } from '../errors.js';
import { optionalString, requiredString } from '../input.js';
import { defineAction } from './action.js';

const input = z.object({
  QueueName: requiredString('QueueName'),
  QueueOwnerAWSAccountId: optionalString('QueueOwnerAWSAccountId'),
}) satisfies z.ZodType<GetQueueUrlRequest>;

/** https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueUrl.html */
export const getQueueUrl = defineAction({
  input,
  run(host, i): GetQueueUrlResult {
    const q = host.queues.get(i.QueueName);
    const owner = i.QueueOwnerAWSAccountId;
    if (!q || (owner !== undefined && owner !== host.ctx.accountId)) throw noSuchQueue();
    return { QueueUrl: q.url };
  },
});
