import type { ListQueueTagsResult } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { queueUrl } from '../input.js';
import { defineAction } from './action.js';
import { nonEmpty } from './output.js';

const input = z.object(queueUrl);

/** https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListQueueTags.html */
export const listQueueTags = defineAction({
  input,
  run(host, i): ListQueueTagsResult {
    return { Tags: nonEmpty(host.queueByUrl(i.QueueUrl).tags) };
  },
});
