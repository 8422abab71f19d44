import type { ListQueuesRequest, ListQueuesResult } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { optionalInt, optionalString } from '../input.js';
import type { SqsHost } from './action.js';
import { defineAction } from './action.js';

const input = z.object({
  QueueNamePrefix: optionalString('QueueNamePrefix'),
  MaxResults: optionalInt(1, 1000, 'MaxResults must be an integer between 1 and 1000.'),
  NextToken: optionalString('NextToken'),
}) satisfies z.ZodType<ListQueuesRequest>;

/** One page of queue URLs by name; pages (and a NextToken) only when MaxResults is given, as SQS does. */
export function pageOfUrls(
  host: SqsHost,
  queueNames: string[],
  i: { MaxResults?: number | undefined; NextToken?: string | undefined },
): { urls: string[] | undefined; nextToken: string | undefined } {
  let names = [...queueNames].sort();
  if (i.NextToken) {
    const after = Buffer.from(i.NextToken, 'base64').toString('utf8');
    names = names.filter((n) => n > after);
  }
  const page = names.slice(0, i.MaxResults ?? 1000);
  const more = i.MaxResults !== undefined && names.length > page.length;
  return {
    urls: page.length ? page.map((n) => host.queues.get(n)!.url) : undefined,
    nextToken: more ? Buffer.from(page.at(-1)!).toString('base64') : undefined,
  };
}

/** https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListQueues.html */
export const listQueues = defineAction({
  input,
  run(host, i): ListQueuesResult {
    const prefix = i.QueueNamePrefix ?? '';
    const names = [...host.queues.keys()].filter((n) => n.startsWith(prefix));
    const page = pageOfUrls(host, names, i);
    return { QueueUrls: page.urls, NextToken: page.nextToken };
  },
});
