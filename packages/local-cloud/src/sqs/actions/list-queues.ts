import type { ListQueuesRequest, ListQueuesResult } from '@aws-sdk/client-sqs';
import { z } from 'zod';
import { optionalInt, optionalString } from '../input.js';
import { defineAction } from './action.js';

const input = z.object({
  QueueNamePrefix: optionalString('QueueNamePrefix'),
  MaxResults: optionalInt(1, 1000),
  NextToken: optionalString('NextToken'),
}) satisfies z.ZodType<ListQueuesRequest>;

/** https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListQueues.html */
export const listQueues = defineAction({
  input,
  run(host, i): ListQueuesResult {
    const prefix = i.QueueNamePrefix ?? '';
    let names = [...host.queues.keys()].filter((n) => n.startsWith(prefix)).sort();
    if (i.NextToken) {
      const after = Buffer.from(i.NextToken, 'base64').toString('utf8');
      names = names.filter((n) => n > after);
    }
    const page = names.slice(0, i.MaxResults ?? 1000);
    // Pages (and a NextToken) only when the caller asked for MaxResults, as SQS does.
    const more = i.MaxResults !== undefined && names.length > page.length;
    return {
      QueueUrls: page.length ? page.map((n) => host.queues.get(n)!.url) : undefined,
      NextToken: more ? Buffer.from(page.at(-1)!).toString('base64') : undefined,
    };
  },
});
