import type { DeleteMessageRequest } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { queueUrl, requiredString } from '../input.js';
import { defineAction } from './action.js';

const input = z.object({
  ...queueUrl,
  ReceiptHandle: requiredString('ReceiptHandle'),
}) satisfies z.ZodType<DeleteMessageRequest>;

/** https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessage.html */
export const deleteMessage = defineAction({
  input,
  run(host, i): Record<string, never> {
    const q = host.queueByUrl(i.QueueUrl);
    host.afterDelete(q, q.delete(i.ReceiptHandle));
    return {};
  },
});
