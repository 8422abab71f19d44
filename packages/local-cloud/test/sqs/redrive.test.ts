import {
  CancelMessageMoveTaskCommand,
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
  type ListMessageMoveTasksResultEntry,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../src/cloud.js';

let cloud: LocalCloud;
let sqs: SQSClient;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, dynamodb: false });
  sqs = new SQSClient({
    endpoint: cloud.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'any', secretAccessKey: 'any' },
  });
});

afterAll(async () => {
  sqs?.destroy();
  await cloud?.stop();
});

interface Q {
  url: string;
  arn: string;
}

async function queue(name: string, attributes: Record<string, string> = {}): Promise<Q> {
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
  );
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  return { url: QueueUrl!, arn: Attributes!['QueueArn']! };
}

/** A source queue whose messages go to its own DLQ after `max` receives. */
async function pair(name: string, max: number): Promise<{ source: Q; dlq: Q }> {
  const dlq = await queue(`${name}-dlq`);
  const source = await queue(name, {
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: max }),
  });
  return { source, dlq };
}

async function count(q: Q): Promise<number> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: q.url,
      AttributeNames: ['ApproximateNumberOfMessages'],
    }),
  );
  return Number(Attributes!['ApproximateNumberOfMessages']);
}

/** Receives once, making the message visible again at once (a failed processing attempt). */
async function failOnce(q: Q) {
  const r = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: q.url,
      VisibilityTimeout: 0,
      MessageSystemAttributeNames: ['All'],
    }),
  );
  return r.Messages ?? [];
}

async function finished(dlq: Q): Promise<ListMessageMoveTasksResultEntry> {
  for (let i = 0; i < 100; i++) {
    const { Results } = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.arn }));
    const task = Results?.[0];
    if (task && task.Status !== 'RUNNING' && task.Status !== 'CANCELLING') return task;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('move task did not finish');
}

describe('redrive policy', () => {
  it('moves a message to the DLQ on the receive after maxReceiveCount receives', async () => {
    const { source, dlq } = await pair('orders', 3);
    const sent = await sqs.send(
      new SendMessageCommand({ QueueUrl: source.url, MessageBody: 'poison' }),
    );

    for (let i = 1; i <= 3; i++) {
      const got = await failOnce(source);
      expect(got.map((m) => m.Attributes!['ApproximateReceiveCount'])).toEqual([String(i)]);
    }
    expect(await count(dlq)).toBe(0); // not moved yet: moved when a 4th receive would happen
    expect(await failOnce(source)).toEqual([]);
    expect(await count(source)).toBe(0);

    const inDlq = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: dlq.url, MessageSystemAttributeNames: ['All'] }),
    );
    const m = inDlq.Messages![0]!;
    expect(m.MessageId).toBe(sent.MessageId);
    expect(m.Body).toBe('poison');
    expect(m.Attributes).toMatchObject({
      DeadLetterQueueSourceArn: source.arn,
      ApproximateReceiveCount: '4',
    });

    const sources = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq.url }));
    expect(sources.queueUrls).toEqual([source.url]);
  });
});

describe('message move tasks', () => {
  it('moves dead letters back to the queue they came from', async () => {
    const { source, dlq } = await pair('payments', 1);
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: source.url,
        Entries: ['a', 'b', 'c'].map((id) => ({ Id: id, MessageBody: `msg-${id}` })),
      }),
    );
    await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: source.url,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
      }),
    );
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: source.url, MaxNumberOfMessages: 10 }));
    expect(await count(dlq)).toBe(3);

    const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn }));
    expect(TaskHandle).toBeTruthy();
    const task = await finished(dlq);
    expect(task).toMatchObject({
      Status: 'COMPLETED',
      SourceArn: dlq.arn,
      ApproximateNumberOfMessagesMoved: 3,
      ApproximateNumberOfMessagesToMove: 3,
    });
    expect(task.TaskHandle).toBeUndefined(); // only running tasks carry their handle
    expect(await count(dlq)).toBe(0);

    const back = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: source.url,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    expect(back.Messages!.map((m) => m.Body).sort()).toEqual(['msg-a', 'msg-b', 'msg-c']);
    // Redriven messages are new messages: their receive count starts again.
    expect(back.Messages!.map((m) => m.Attributes!['ApproximateReceiveCount'])).toEqual([
      '1',
      '1',
      '1',
    ]);
  });

  it('moves to DestinationArn when given, and refuses queues that are no DLQ', async () => {
    const { source, dlq } = await pair('shipping', 1);
    const elsewhere = await queue('shipping-retry');
    await sqs.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: 'x' }));
    await failOnce(source);
    await failOnce(source);
    expect(await count(dlq)).toBe(1);
    await sqs.send(
      new StartMessageMoveTaskCommand({ SourceArn: dlq.arn, DestinationArn: elsewhere.arn }),
    );
    expect(await finished(dlq)).toMatchObject({
      Status: 'COMPLETED',
      DestinationArn: elsewhere.arn,
    });
    expect(await count(elsewhere)).toBe(1);

    await expect(
      sqs.send(new StartMessageMoveTaskCommand({ SourceArn: elsewhere.arn })),
    ).rejects.toThrow(/Dead Letter Queue/);
    await expect(
      sqs.send(
        new StartMessageMoveTaskCommand({ SourceArn: 'arn:aws:sqs:us-east-1:000000000000:nope' }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('stops moving when cancelled and reports CANCELLED', async () => {
    const { source, dlq } = await pair('cancel', 1);
    for (let b = 0; b < 2; b++) {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: source.url,
          Entries: Array.from({ length: 10 }, (_, i) => ({
            Id: `m${i}`,
            MessageBody: `${b}-${i}`,
          })),
        }),
      );
    }
    for (let i = 0; i < 2; i++) {
      await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: source.url,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 0,
        }),
      );
    }
    for (let i = 0; i < 2; i++) {
      await sqs.send(new ReceiveMessageCommand({ QueueUrl: source.url, MaxNumberOfMessages: 10 }));
    }
    expect(await count(dlq)).toBe(20);

    const { TaskHandle } = await sqs.send(
      new StartMessageMoveTaskCommand({ SourceArn: dlq.arn, MaxNumberOfMessagesPerSecond: 1 }),
    );
    const running = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.arn }));
    expect(running.Results![0]).toMatchObject({
      Status: 'RUNNING',
      TaskHandle,
      MaxNumberOfMessagesPerSecond: 1,
    });
    await expect(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn }))).rejects.toThrow(
      /already a task running/,
    );

    const cancelled = await sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
    expect(cancelled.ApproximateNumberOfMessagesMoved).toBeLessThan(20);
    const task = await finished(dlq);
    expect(task.Status).toBe('CANCELLED');
    expect(await count(dlq)).toBeGreaterThan(0);
    await expect(sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }))).rejects.toThrow(
      /Only active tasks/,
    );
  });
});
