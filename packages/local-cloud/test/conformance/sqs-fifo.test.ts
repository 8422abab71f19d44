/**
 * FIFO queues, from the SQS developer guide and API reference:
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-fifo-queues.html
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html
 */
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type Message,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  failure,
  sleep,
  sqsQuery,
  startConformance,
  xmlText,
  type Conformance,
} from './support.js';

let c: Conformance;

beforeAll(async () => {
  c = await startConformance();
});

afterAll(async () => {
  await c?.stop();
});

async function fifoQueue(attributes: Record<string, string> = {}): Promise<string> {
  const out = await c.sqs.send(
    new CreateQueueCommand({
      QueueName: `${c.name('fifo')}.fifo`,
      Attributes: { FifoQueue: 'true', ...attributes },
    }),
  );
  return out.QueueUrl!;
}

const arnOf = (url: string) => `arn:aws:sqs:us-east-1:000000000000:${url.split('/').at(-1)}`;

async function receive(url: string, max = 10, visibility?: number): Promise<Message[]> {
  const out = await c.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: max,
      VisibilityTimeout: visibility,
      MessageSystemAttributeNames: ['All'],
    }),
  );
  return out.Messages ?? [];
}

describe('creating FIFO queues', () => {
  it('needs both the .fifo name and FifoQueue=true', async () => {
    const url = await fifoQueue({ ContentBasedDeduplication: 'true' });
    const attrs = await c.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
    );
    expect(attrs.Attributes).toMatchObject({
      FifoQueue: 'true',
      ContentBasedDeduplication: 'true',
      DeduplicationScope: 'queue',
      FifoThroughputLimit: 'perQueue',
    });
    const noSuffix = await failure(
      c.sqs.send(
        new CreateQueueCommand({ QueueName: c.name('plain'), Attributes: { FifoQueue: 'true' } }),
      ),
    );
    expect(noSuffix.name).toBe('InvalidParameterValue');
    const noAttribute = await failure(
      c.sqs.send(new CreateQueueCommand({ QueueName: `${c.name('plain')}.fifo` })),
    );
    expect(noAttribute.name).toBe('InvalidParameterValue');
  });

  it('refuses FIFO attributes on a standard queue', async () => {
    const err = await failure(
      c.sqs.send(
        new CreateQueueCommand({
          QueueName: c.name('std'),
          Attributes: { ContentBasedDeduplication: 'true' },
        }),
      ),
    );
    expect(err.name).toBe('InvalidAttributeName');
  });
});

describe('sending to a FIFO queue', () => {
  it('requires MessageGroupId, and a deduplication id unless content-based', async () => {
    const url = await fifoQueue();
    const noGroup = await failure(
      c.sqs.send(
        new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageDeduplicationId: 'd' }),
      ),
    );
    expect([noGroup.name, noGroup.message]).toEqual([
      'MissingParameter',
      'The request must contain the parameter MessageGroupId.',
    ]);
    const noDedup = await failure(
      c.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageGroupId: 'g' })),
    );
    expect(noDedup.name).toBe('InvalidParameterValue');
    expect(noDedup.message).toMatch(/ContentBasedDeduplication enabled or MessageDeduplicationId/);
  });

  it('refuses a per-message DelaySeconds', async () => {
    const url = await fifoQueue({ ContentBasedDeduplication: 'true' });
    const err = await failure(
      c.sqs.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: 'x',
          MessageGroupId: 'g',
          DelaySeconds: 5,
        }),
      ),
    );
    expect(err.name).toBe('InvalidParameterValue');
  });

  it('accepts a repeat within the deduplication window once, answering the first send', async () => {
    const url = await fifoQueue();
    const send = () =>
      c.sqs.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: 'x',
          MessageGroupId: 'g',
          MessageDeduplicationId: 'same',
        }),
      );
    const first = await send();
    const again = await send();
    expect(again.MessageId).toBe(first.MessageId);
    expect(again.SequenceNumber).toBe(first.SequenceNumber);
    expect(first.SequenceNumber).toMatch(/^\d{20}$/);
    expect(await receive(url)).toHaveLength(1);
  });

  it('deduplicates by the body with ContentBasedDeduplication', async () => {
    const url = await fifoQueue({ ContentBasedDeduplication: 'true' });
    for (const body of ['a', 'a', 'b']) {
      await c.sqs.send(
        new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageGroupId: 'g' }),
      );
    }
    expect((await receive(url)).map((m) => m.Body)).toEqual(['a', 'b']);
  });

  it('deduplicates per message group with DeduplicationScope=messageGroup', async () => {
    const url = await fifoQueue({
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
    });
    for (const group of ['g1', 'g2', 'g1']) {
      await c.sqs.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: group,
          MessageGroupId: group,
          MessageDeduplicationId: 'same',
        }),
      );
    }
    expect((await receive(url)).map((m) => m.Body).sort()).toEqual(['g1', 'g2']);
  });

  it('answers sequence numbers per batch entry and checks each entry', async () => {
    const url = await fifoQueue({ ContentBasedDeduplication: 'true' });
    const out = await c.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'a', MessageBody: 'a', MessageGroupId: 'g' },
          { Id: 'b', MessageBody: 'b' },
          { Id: 'c', MessageBody: 'c', MessageGroupId: 'g' },
        ],
      }),
    );
    expect(out.Successful?.map((e) => e.Id)).toEqual(['a', 'c']);
    expect(out.Failed).toEqual([
      expect.objectContaining({ Id: 'b', Code: 'MissingParameter', SenderFault: true }),
    ]);
    const [a, cc] = out.Successful!;
    expect(BigInt(cc!.SequenceNumber!) > BigInt(a!.SequenceNumber!)).toBe(true);
  });

  it('answers the SequenceNumber over the query protocol too', async () => {
    const url = await fifoQueue({ ContentBasedDeduplication: 'true' });
    const res = await sqsQuery(c.cloud.endpoint, 'SendMessage', {
      QueueUrl: url,
      MessageBody: 'x',
      MessageGroupId: 'g',
    });
    expect(res.status).toBe(200);
    expect(xmlText(res.text, 'SequenceNumber')).toMatch(/^\d{20}$/);
  });
});

describe('receiving from a FIFO queue', () => {
  it('delivers each group in order, holding a group back while a message of it is in flight', async () => {
    const url = await fifoQueue({ ContentBasedDeduplication: 'true' });
    for (const body of ['g1-1', 'g1-2', 'g1-3']) {
      await c.sqs.send(
        new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageGroupId: 'g1' }),
      );
    }
    const first = await receive(url, 2);
    expect(first.map((m) => m.Body)).toEqual(['g1-1', 'g1-2']);
    expect(await receive(url)).toEqual([]);
    await c.sqs.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: 'g2-1', MessageGroupId: 'g2' }),
    );
    const other = await receive(url);
    expect(other.map((m) => m.Body)).toEqual(['g2-1']);
    expect(other[0]!.Attributes).toMatchObject({ MessageGroupId: 'g2' });
    expect(other[0]!.Attributes?.SequenceNumber).toMatch(/^\d{20}$/);
    for (const m of first) {
      await c.sqs.send(
        new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle! }),
      );
    }
    expect((await receive(url)).map((m) => m.Body)).toEqual(['g1-3']);
  });

  it('gives a group back in order when its visibility timeout lapses', async () => {
    const url = await fifoQueue({ ContentBasedDeduplication: 'true' });
    for (const body of ['1', '2']) {
      await c.sqs.send(
        new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageGroupId: 'g' }),
      );
    }
    expect((await receive(url, 1, 1)).map((m) => m.Body)).toEqual(['1']);
    expect(await receive(url)).toEqual([]);
    await sleep(1100);
    expect((await receive(url)).map((m) => m.Body)).toEqual(['1', '2']);
  });
});

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
describe('FIFO dead-letter queues', () => {
  it('must be FIFO too', async () => {
    const std = await c.sqs.send(new CreateQueueCommand({ QueueName: c.name('std-dlq') }));
    const err = await failure(
      fifoQueue({
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: arnOf(std.QueueUrl!),
          maxReceiveCount: 1,
        }),
      }),
    );
    expect(err.name).toBe('InvalidParameterValue');
    expect(err.message).toMatch(/Dead-letter queue must be same type of queue as the source/);
  });

  it('receive the message past maxReceiveCount with its group, and redrive it back', async () => {
    const dlq = await fifoQueue({ ContentBasedDeduplication: 'true' });
    const source = await fifoQueue({
      ContentBasedDeduplication: 'true',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arnOf(dlq), maxReceiveCount: 1 }),
    });
    await c.sqs.send(
      new SendMessageCommand({ QueueUrl: source, MessageBody: 'poison', MessageGroupId: 'g' }),
    );
    expect(await receive(source, 1, 0)).toHaveLength(1);
    expect(await receive(source)).toEqual([]); // moved on this receive
    const dead = await receive(dlq, 10, 0);
    expect(dead.map((m) => [m.Body, m.Attributes?.MessageGroupId])).toEqual([['poison', 'g']]);
    const moved = await sqsQuery(c.cloud.endpoint, 'StartMessageMoveTask', {
      SourceArn: arnOf(dlq),
    });
    expect(moved.status).toBe(200);
    await sleep(200);
    expect((await receive(source)).map((m) => m.Body)).toEqual(['poison']);
  });
});
