import type { DeleteMessageBatchResult } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { entries, parseInput, queueUrl, requiredString } from '../input.js';
import { defineAction } from './action.js';
import { batchEntries, perEntry } from './batch.js';

const input = z.object({ ...queueUrl, Entries: entries });
const entry = z.object({ Id: z.string(), ReceiptHandle: requiredString('ReceiptHandle') });

/** https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessageBatch.html */
export const deleteMessageBatch = defineAction({
  input,
  run(host, i): DeleteMessageBatchResult {
    const q = host.queueByUrl(i.QueueUrl);
    return perEntry(batchEntries(i.Entries), (raw) => {
      const e = parseInput(entry, raw);
      host.afterDelete(q, q.delete(e.ReceiptHandle));
      return { Id: e.Id };
    });
  },
});
