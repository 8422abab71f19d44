import {
  ChangeMessageVisibilityBatchCommand,
  ReceiveMessageCommand,
  type Message,
} from '@aws-sdk/client-sqs';
import type { AwsTarget } from '../shared/aws.js';

/**
 * Reads up to `max` messages without consuming them. SQS has no peek: a
 * receive it is, so each read message's ApproximateReceiveCount goes up by
 * one (harmless in a dead-letter queue with no redrive policy of its own;
 * callers do not peek into one that has). To read more than one batch the
 * messages are held invisible for `holdSeconds` while reading, then made
 * visible again at once; if the process dies in between they come back by
 * themselves when the hold runs out.
 */
export async function peek(
  target: AwsTarget,
  queueUrl: string,
  max: number,
  holdSeconds: number,
): Promise<Message[]> {
  const messages: Message[] = [];
  // Long polling asks every SQS server, short polling only a sample; locally both see all.
  const wait = target.local ? 0 : 1;
  try {
    while (messages.length < max) {
      const { Messages } = await target.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(10, max - messages.length),
          VisibilityTimeout: holdSeconds,
          WaitTimeSeconds: wait,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      );
      if (!Messages?.length) break;
      messages.push(...Messages);
      if (holdSeconds === 0) break; // the same messages would come back
    }
  } finally {
    if (holdSeconds > 0) await release(target, queueUrl, messages);
  }
  return messages;
}

async function release(target: AwsTarget, queueUrl: string, messages: Message[]): Promise<void> {
  for (let i = 0; i < messages.length; i += 10) {
    const batch = messages.slice(i, i + 10);
    await target.sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((m, j) => ({
          Id: String(j),
          ReceiptHandle: m.ReceiptHandle!,
          VisibilityTimeout: 0,
        })),
      }),
    );
  }
}
