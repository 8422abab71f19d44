import {
  DeleteMessageBatchCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { abortable } from './types.js';

export interface ReceiveInput {
  QueueUrl: string;
  MaxNumberOfMessages: number;
  WaitTimeSeconds: number;
}

/** What an SQS poller asks of SQS: three calls. */
export interface PollerSqs {
  queueUrl(name: string, account: string): Promise<string>;
  /** A (long) poll for messages, with every system and message attribute; `signal` ends it. */
  receive(input: ReceiveInput, signal: AbortSignal): Promise<Message[]>;
  /** Deletes by receipt handle; answers the entries SQS refused. */
  deleteBatch(queueUrl: string, receipts: string[]): Promise<{ Code?: string; Message?: string }[]>;
}

const ALL = { MessageSystemAttributeNames: ['All' as const], MessageAttributeNames: ['All'] };

/** Through the edge with the AWS SDK: for an app loaded onto a cloud in another process. */
export function sdkPollerSqs(client: SQSClient): PollerSqs {
  return {
    async queueUrl(name, account) {
      const out = await client.send(
        new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }),
      );
      return out.QueueUrl!;
    },
    async receive(input, signal) {
      const out = await abortable(signal, (abortSignal) =>
        client.send(new ReceiveMessageCommand({ ...input, ...ALL }), { abortSignal }),
      );
      return out.Messages ?? [];
    },
    async deleteBatch(queueUrl, receipts) {
      const out = await client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: receipts.map((ReceiptHandle, i) => ({ Id: String(i), ReceiptHandle })),
        }),
      );
      return out.Failed ?? [];
    },
  };
}

/** The local cloud's SQS actions, called in process (as `cloud.sqs.handle` has them). */
export interface InProcessSqs {
  handle(
    action: string,
    input: Record<string, unknown>,
    request?: { signal?: AbortSignal },
  ): Promise<unknown>;
}

/** Where the in-process pollers' calls are counted: not as API calls, but SQS bills them. */
export const POLLER_METRICS = 'SQS.pollers';

/**
 * The cloud's own SQS, in process: Lambda's pollers are internal to AWS too, so they cost no HTTP
 * round trip and are not counted as API calls (`count` tallies them under POLLER_METRICS, for what
 * SQS would bill). The same actions run, with the same validation,
 * visibility and redrive; a stopping poller's long poll ends at once and takes nothing.
 */
export function inProcessPollerSqs(
  sqs: InProcessSqs,
  count: (action: string) => void = () => undefined,
): PollerSqs {
  return {
    async queueUrl(name, account) {
      const out = (await sqs.handle('GetQueueUrl', {
        QueueName: name,
        QueueOwnerAWSAccountId: account,
      })) as {
        QueueUrl: string;
      };
      return out.QueueUrl;
    },
    async receive(input, signal) {
      const out = (await sqs.handle('ReceiveMessage', { ...input, ...ALL }, { signal })) as {
        Messages?: WireMessage[];
      };
      count(out.Messages?.length ? 'ReceiveMessage' : 'EmptyReceive');
      return (out.Messages ?? []).map(fromWire);
    },
    async deleteBatch(queueUrl, receipts) {
      count('DeleteMessageBatch');
      const out = (await sqs.handle('DeleteMessageBatch', {
        QueueUrl: queueUrl,
        Entries: receipts.map((ReceiptHandle, i) => ({ Id: String(i), ReceiptHandle })),
      })) as { Failed?: { Code?: string; Message?: string }[] };
      return out.Failed ?? [];
    },
  };
}

type WireMessage = Omit<Message, 'MessageAttributes'> & {
  MessageAttributes?: Record<
    string,
    { DataType?: string; StringValue?: string; BinaryValue?: string | Uint8Array }
  >;
};

/** The JSON protocol carries binary attribute values as base64; the SDK hands them over as bytes. */
function fromWire(m: WireMessage): Message {
  if (!m.MessageAttributes) return m as Message;
  const attrs: NonNullable<Message['MessageAttributes']> = {};
  for (const [name, a] of Object.entries(m.MessageAttributes)) {
    attrs[name] = {
      ...a,
      ...(typeof a.BinaryValue === 'string' && {
        BinaryValue: Buffer.from(a.BinaryValue, 'base64'),
      }),
    } as NonNullable<Message['MessageAttributes']>[string];
  }
  return { ...m, MessageAttributes: attrs };
}
