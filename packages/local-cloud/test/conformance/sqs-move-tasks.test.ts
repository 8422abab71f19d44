/**
 * SQS dead-letter redrive as the API reference describes it:
 * StartMessageMoveTask, ListMessageMoveTasks and CancelMessageMoveTask,
 * errors over both protocols.
 */
import {
  CancelMessageMoveTaskCommand,
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  SendMessageBatchCommand,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sameOnBoth, sleep, sqsFailsBoth, startConformance, type Conformance } from './support.js';

let c: Conformance;

beforeAll(async () => {
  c = await startConformance();
});

afterAll(async () => {
  await c?.stop();
});

async function queue(attributes: Record<string, string> = {}) {
  const out = await c.sqs.send(
    new CreateQueueCommand({ QueueName: c.name('move'), Attributes: attributes }),
  );
  const url = out.QueueUrl!;
  const attrs = await c.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  return { url, arn: attrs.Attributes!['QueueArn']! };
}

/**
 * A dead-letter queue holding `n` messages sent to it directly, the source
 * queue that names it, and a destination for moves.
 */
async function deadLetters(n: number) {
  const dlq = await queue();
  const destination = await queue();
  const source = await queue({
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }),
  });
  for (let i = 0; i < n; i += 10) {
    const size = Math.min(10, n - i);
    await c.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: dlq.url,
        Entries: Array.from({ length: size }, (_, k) => ({ Id: `m${k}`, MessageBody: `${i + k}` })),
      }),
    );
  }
  return { dlq, source, destination };
}

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html
describe('StartMessageMoveTask', () => {
  it('refuses a source that is no dead-letter queue, and one that does not exist', async () => {
    const plain = await queue();
    sameOnBoth(
      await sqsFailsBoth(
        c.cloud.endpoint,
        'StartMessageMoveTask',
        { SourceArn: plain.arn },
        { SourceArn: plain.arn },
      ),
      {
        code: 'InvalidParameterValue',
        status: 400,
        message: /Reason: Source queue must be configured as a Dead Letter Queue\./,
      },
    );
    const missing = 'arn:aws:sqs:us-east-1:000000000000:no-such-queue';
    sameOnBoth(
      await sqsFailsBoth(
        c.cloud.endpoint,
        'StartMessageMoveTask',
        { SourceArn: missing },
        { SourceArn: missing },
      ),
      {
        code: 'ResourceNotFoundException',
        status: 404,
        message: /^The resource that you specified for the SourceArn parameter doesn't exist\./,
      },
    );
  });

  it('refuses MaxNumberOfMessagesPerSecond outside 1..500', async () => {
    const { dlq } = await deadLetters(0);
    sameOnBoth(
      await sqsFailsBoth(
        c.cloud.endpoint,
        'StartMessageMoveTask',
        { SourceArn: dlq.arn, MaxNumberOfMessagesPerSecond: 501 },
        { SourceArn: dlq.arn, MaxNumberOfMessagesPerSecond: '501' },
      ),
      { code: 'InvalidParameterValue', status: 400 },
    );
  });

  it('moves the messages to DestinationArn', async () => {
    const { dlq, destination } = await deadLetters(3);
    await c.sqs.send(
      new StartMessageMoveTaskCommand({ SourceArn: dlq.arn, DestinationArn: destination.arn }),
    );
    const tasks = await settledTasks(dlq.arn);
    expect(tasks[0]).toMatchObject({
      Status: 'COMPLETED',
      SourceArn: dlq.arn,
      DestinationArn: destination.arn,
      ApproximateNumberOfMessagesMoved: 3,
      ApproximateNumberOfMessagesToMove: 3,
    });
    // TaskHandle is given only while the task runs.
    expect(tasks[0]!.TaskHandle).toBeUndefined();
    const attrs = await c.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: destination.url,
        AttributeNames: ['ApproximateNumberOfMessages'],
      }),
    );
    expect(attrs.Attributes!['ApproximateNumberOfMessages']).toBe('3');
  });

  it('fails with CouldNotDetermineMessageSource when messages were not dead-lettered and no destination is given', async () => {
    const { dlq } = await deadLetters(1);
    await c.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn }));
    const tasks = await settledTasks(dlq.arn);
    expect(tasks[0]).toMatchObject({
      Status: 'FAILED',
      FailureReason: 'CouldNotDetermineMessageSource',
    });
  });
});

/** The source's tasks once the newest is no longer RUNNING. */
async function settledTasks(sourceArn: string) {
  for (let i = 0; i < 100; i++) {
    const out = await c.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn }));
    if (out.Results?.[0]?.Status !== 'RUNNING') return out.Results ?? [];
    await sleep(20);
  }
  throw new Error(`the move task of ${sourceArn} still runs after 2 s`);
}

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListMessageMoveTasks.html
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CancelMessageMoveTask.html
describe('a running task: ListMessageMoveTasks and CancelMessageMoveTask', () => {
  it('allows one running task per source, lists it, and cancels it', async () => {
    const { dlq, destination } = await deadLetters(20);
    const started = await c.sqs.send(
      new StartMessageMoveTaskCommand({
        SourceArn: dlq.arn,
        DestinationArn: destination.arn,
        MaxNumberOfMessagesPerSecond: 1,
      }),
    );
    sameOnBoth(
      await sqsFailsBoth(
        c.cloud.endpoint,
        'StartMessageMoveTask',
        { SourceArn: dlq.arn },
        { SourceArn: dlq.arn },
      ),
      {
        code: 'InvalidParameterValue',
        status: 400,
        message:
          'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
      },
    );
    const running = await c.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.arn }));
    expect(running.Results).toEqual([
      expect.objectContaining({
        Status: 'RUNNING',
        TaskHandle: started.TaskHandle,
        MaxNumberOfMessagesPerSecond: 1,
      }),
    ]);
    const cancelled = await c.sqs.send(
      new CancelMessageMoveTaskCommand({ TaskHandle: started.TaskHandle }),
    );
    expect(cancelled.ApproximateNumberOfMessagesMoved).toBeLessThan(20);
    const after = await c.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.arn }));
    expect(['CANCELLING', 'CANCELLED']).toContain(after.Results![0]!.Status);
  });

  it('lists the newest task first, one by default and up to MaxResults (1..10)', async () => {
    const { dlq, destination } = await deadLetters(0);
    const move = { SourceArn: dlq.arn, DestinationArn: destination.arn };
    await c.sqs.send(new StartMessageMoveTaskCommand(move));
    await settledTasks(dlq.arn);
    await c.sqs.send(new StartMessageMoveTaskCommand({ ...move, MaxNumberOfMessagesPerSecond: 7 }));
    await settledTasks(dlq.arn);
    const one = await c.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.arn }));
    expect(one.Results?.map((t) => t.MaxNumberOfMessagesPerSecond)).toEqual([7]);
    const both = await c.sqs.send(
      new ListMessageMoveTasksCommand({ SourceArn: dlq.arn, MaxResults: 10 }),
    );
    expect(both.Results?.map((t) => t.MaxNumberOfMessagesPerSecond)).toEqual([7, undefined]);
    sameOnBoth(
      await sqsFailsBoth(
        c.cloud.endpoint,
        'ListMessageMoveTasks',
        { SourceArn: dlq.arn, MaxResults: 11 },
        { SourceArn: dlq.arn, MaxResults: '11' },
      ),
      { code: 'InvalidParameterValue', status: 400 },
    );
  });

  it('refuses a task handle it did not issue', async () => {
    const answer = await sqsFailsBoth(
      c.cloud.endpoint,
      'CancelMessageMoveTask',
      { TaskHandle: 'not-a-handle' },
      { TaskHandle: 'not-a-handle' },
    );
    expect([answer.json.code, answer.query.code]).toEqual([answer.json.code, answer.json.code]);
    expect(['InvalidParameterValue', 'ResourceNotFoundException']).toContain(answer.json.code);
  });
});
