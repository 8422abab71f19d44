import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DelayRetry } from '../ports.js';

/** Holds a received message back by changing its visibility timeout (at most 12 hours). */
export function sqsDelayRetry(client: SQSClient, queueUrl: string): DelayRetry {
  return async (receiptHandle, seconds) => {
    await client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: Math.min(43_200, Math.max(0, Math.round(seconds))),
      }),
    );
  };
}
