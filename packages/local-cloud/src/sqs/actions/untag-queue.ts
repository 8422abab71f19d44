import * as z from 'zod';
import { queueUrl, stringList } from '../input.js';
import { defineAction } from './action.js';

const input = z.object({ ...queueUrl, TagKeys: stringList });

/** https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_UntagQueue.html */
export const untagQueue = defineAction({
  input,
  run(host, i): Record<string, never> {
    const q = host.queueByUrl(i.QueueUrl);
    for (const k of i.TagKeys) delete q.tags[k];
    return {};
  },
});
