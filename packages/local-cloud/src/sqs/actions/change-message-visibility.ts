import type { ChangeMessageVisibilityRequest } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { queueUrl, requiredInt, requiredString } from '../input.js';
import { defineAction } from './action.js';

export const visibilityEntry = {
  ReceiptHandle: requiredString('ReceiptHandle'),
  VisibilityTimeout: requiredInt(0, 43_200, 'Must be >= 0 and <= 43200.'),
};

const input = z.object({
  ...queueUrl,
  ...visibilityEntry,
}) satisfies z.ZodType<ChangeMessageVisibilityRequest>;

/** https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html */
export const changeMessageVisibility = defineAction({
  input,
  run(host, i): Record<string, never> {
    host.queueByUrl(i.QueueUrl).changeVisibility(i.ReceiptHandle, i.VisibilityTimeout);
    return {};
  },
});
