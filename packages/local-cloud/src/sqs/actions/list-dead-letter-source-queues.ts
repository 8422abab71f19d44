import type { ListDeadLetterSourceQueuesResult } from '@aws-sdk/client-sqs';
import { z } from 'zod';
import { queueUrl } from '../input.js';
import { defineAction } from './action.js';

const input = z.object(queueUrl);

/** https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListDeadLetterSourceQueues.html */
export const listDeadLetterSourceQueues = defineAction({
  input,
  run(host, i): ListDeadLetterSourceQueuesResult {
    const q = host.queueByUrl(i.QueueUrl);
    const urls = [...host.queues.values()]
      .filter((s) => s.config.RedrivePolicy?.deadLetterTargetArn === q.arn)
      .map((s) => s.url)
      .sort();
    return { queueUrls: urls };
  },
});
