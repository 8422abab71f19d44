import type { SendMessageBatchResult, SendMessageBatchResultEntry } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { sqsError } from '../errors.js';
import { entries, queueUrl } from '../input.js';
import { parseContent, rawEntrySize } from '../message.js';
import { defineAction } from './action.js';
import { batchEntries, perEntry } from './batch.js';
import { sendResult } from './output.js';

/** A batch's bodies and attributes together, whatever the queue's MaximumMessageSize. */
const MAX_BATCH_BYTES = 1_048_576;

const input = z.object({ ...queueUrl, Entries: entries });

/**
 * The whole batch may carry 1 MiB whatever the queue's MaximumMessageSize;
 * each entry is held to MaximumMessageSize on its own and fails alone.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html
 */
export const sendMessageBatch = defineAction({
  input,
  run(host, i): SendMessageBatchResult {
    const q = host.queueByUrl(i.QueueUrl);
    const list = batchEntries(i.Entries);
    const total = list.reduce((sum, e) => sum + rawEntrySize(e), 0);
    if (total > MAX_BATCH_BYTES) {
      throw sqsError(
        'BatchRequestTooLong',
        `Batch requests cannot be longer than ${MAX_BATCH_BYTES} bytes. You have sent ${total} bytes.`,
      );
    }
    return perEntry(list, (e): SendMessageBatchResultEntry => {
      const content = parseContent(e, q.config.MaximumMessageSize, {}, q.fifo);
      const sent = sendResult(q.send(content), content);
      return {
        Id: String(e['Id']),
        ...sent,
        MessageId: sent.MessageId,
        MD5OfMessageBody: sent.MD5OfMessageBody,
      };
    });
  },
});
