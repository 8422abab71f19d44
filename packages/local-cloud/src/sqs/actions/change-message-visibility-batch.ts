import type { ChangeMessageVisibilityBatchResult } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { entries, parseInput, queueUrl } from '../input.js';
import { defineAction } from './action.js';
import { batchEntries, perEntry } from './batch.js';
import { visibilityEntry } from './change-message-visibility.js';

const input = z.object({ ...queueUrl, Entries: entries });
const entry = z.object({ Id: z.string(), ...visibilityEntry });

/** https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibilityBatch.html */
export const changeMessageVisibilityBatch = defineAction({
  input,
  run(host, i): ChangeMessageVisibilityBatchResult {
    const q = host.queueByUrl(i.QueueUrl);
    return perEntry(batchEntries(i.Entries), (raw) => {
      const e = parseInput(entry, raw);
      q.changeVisibility(e.ReceiptHandle, e.VisibilityTimeout);
      return { Id: e.Id };
    });
  },
});
