import type { SetQueueAttributesRequest } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { applyAttributes, READ_ONLY } from '../attributes.js';
import { sqsError } from '../errors.js';
import { queueUrl, requiredStringMap } from '../input.js';
import { defineAction } from './action.js';

const input = z.object({
  ...queueUrl,
  Attributes: requiredStringMap,
}) satisfies z.ZodType<SetQueueAttributesRequest>;

/** https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html */
export const setQueueAttributes = defineAction({
  input,
  run(host, i): Record<string, never> {
    const q = host.queueByUrl(i.QueueUrl);
    const readOnly = Object.keys(i.Attributes).find((k) => READ_ONLY.includes(k));
    if (readOnly) throw sqsError('InvalidAttributeName', `Unknown Attribute ${readOnly}.`);
    q.config = applyAttributes(q.config, i.Attributes, host.redriveChecks(q.arn, q.fifo));
    q.lastModifiedAt = Math.floor(Date.now() / 1000);
    return {};
  },
});
