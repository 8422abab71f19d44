import * as z from 'zod';
import { queueUrl, stringMap } from '../input.js';
import { defineAction } from './action.js';

const input = z.object({ ...queueUrl, Tags: stringMap });

/** https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_TagQueue.html */
export const tagQueue = defineAction({
  input,
  run(host, i): Record<string, never> {
    Object.assign(host.queueByUrl(i.QueueUrl).tags, i.Tags);
    return {};
  },
});
