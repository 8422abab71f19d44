import type {
  ListDeadLetterSourceQueuesRequest,
  ListDeadLetterSourceQueuesResult,
} from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { optionalInt, optionalString, queueUrl } from '../input.js';
import { defineAction } from './action.js';
import { pageOfUrls } from './list-queues.js';

const input = z.object({
  ...queueUrl,
  MaxResults: optionalInt(1, 1000, 'MaxResults must be an integer between 1 and 1000.'),
  NextToken: optionalString('NextToken'),
}) satisfies z.ZodType<ListDeadLetterSourceQueuesRequest>;

/**
 * The queues whose RedrivePolicy names this one, paged as ListQueues is.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListDeadLetterSourceQueues.html
 */
export const listDeadLetterSourceQueues = defineAction({
  input,
  run(host, i): ListDeadLetterSourceQueuesResult {
    const q = host.queueByUrl(i.QueueUrl);
    const sources = [...host.queues.values()]
      .filter((s) => s.config.RedrivePolicy?.deadLetterTargetArn === q.arn)
      .map((s) => s.name);
    const page = pageOfUrls(host, sources, i);
    // queueUrls is required in the result, even when empty.
    return { queueUrls: page.urls ?? [], NextToken: page.nextToken };
  },
});
