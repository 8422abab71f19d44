import type { GetQueueAttributesResult } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { queueUrl, stringList } from '../input.js';
import { defineAction } from './action.js';
import { nonEmpty } from './output.js';

const input = z.object({ ...queueUrl, AttributeNames: stringList });

/** https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html */
export const getQueueAttributes = defineAction({
  input,
  run(host, i): GetQueueAttributesResult {
    const q = host.queueByUrl(i.QueueUrl);
    return { Attributes: nonEmpty(host.attributesOf(q, i.AttributeNames)) };
  },
});
