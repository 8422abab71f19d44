import type { ReceiveMessageResult } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { optionalInt, queueUrl, stringList } from '../input.js';
import { defineAction } from './action.js';
import { toMessage, type WireMessage } from './output.js';

const input = z.object({
  ...queueUrl,
  AttributeNames: stringList,
  MessageSystemAttributeNames: stringList,
  MessageAttributeNames: stringList,
  MaxNumberOfMessages: optionalInt(1, 10, 'Must be between 1 and 10, if provided.'),
  VisibilityTimeout: optionalInt(0, 43_200, 'Must be >= 0 and <= 43200, if provided.'),
  WaitTimeSeconds: optionalInt(0, 20, 'Must be >= 0 and <= 20, if provided.'),
});

/** https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html */
export const receiveMessage = defineAction({
  input,
  async run(
    host,
    i,
    request,
  ): Promise<Omit<ReceiveMessageResult, 'Messages'> & { Messages?: WireMessage[] }> {
    const q = host.queueByUrl(i.QueueUrl);
    const deliveries = await q.receive({
      max: i.MaxNumberOfMessages ?? 1,
      visibilityTimeout: i.VisibilityTimeout,
      waitSeconds: i.WaitTimeSeconds ?? q.config.ReceiveMessageWaitTimeSeconds,
      signal: request?.signal,
    });
    // AttributeNames is the older name of MessageSystemAttributeNames; SDKs send either.
    const systemNames = [...i.AttributeNames, ...i.MessageSystemAttributeNames];
    const messages = deliveries.map((d) => toMessage(d, systemNames, i.MessageAttributeNames));
    return { Messages: messages.length ? messages : undefined };
  },
});
