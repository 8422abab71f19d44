import { ReceiveMessageCommand, SendMessageCommand, TagQueueCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../ops/dlq.js';
import {
  capture,
  createBusWithArchive,
  createQueue,
  drain,
  eventIdsOf,
  putShopEvents,
  startCloud,
  subscribe,
  type Queue,
} from './support.js';

const BUS = 'ShopPlatformBus69D425C4';
let env: Awaited<ReturnType<typeof startCloud>>;
let inventory: Awaited<ReturnType<typeof subscribe>>;
let publisherDlq: Queue;
let failedIds: string[];

/** What a failing consumer does: receive without deleting until SQS dead-letters the messages. */
async function failUntilDeadLettered(queue: Queue): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const { Messages } = await env.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.url,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
      }),
    );
    if (!Messages?.length) return;
  }
  throw new Error(`${queue.name} never dead-lettered its messages`);
}

beforeAll(async () => {
  env = await startCloud();
  await createBusWithArchive(env.events, BUS, 'Shop-Platform-BusArchive-Ab12Cd34');
  inventory = await subscribe(env.events, env.sqs, {
    bus: BUS,
    stack: 'Shop-Inventory',
    detailTypes: ['OrderPlaced', 'OrderCancelled'],
    maxReceiveCount: 2,
  });
  failedIds = await putShopEvents(env.events, BUS, [
    {
      source: 'shop.orders',
      detailType: 'OrderPlaced',
      correlationId: 'ord-7',
      causationId: 'req-7',
    },
    {
      source: 'shop.orders',
      detailType: 'OrderCancelled',
      correlationId: 'ord-7',
      causationId: 'x',
    },
  ]);
  await env.cloud.events.settled();
  await failUntilDeadLettered(inventory.queue);

  // What EventBridge puts in a target's DLQ when it cannot deliver: the event plus error attributes.
  await env.sqs.send(
    new SendMessageCommand({
      QueueUrl: inventory.dlq.url,
      MessageBody: JSON.stringify({
        version: '0',
        id: 'eb-1',
        'detail-type': 'OrderPlaced',
        source: 'shop.orders',
        time: new Date().toISOString(),
        detail: {
          metadata: { eventId: 'evt-undelivered', correlationId: 'ord-8', causationId: 'req-8' },
        },
      }),
      MessageAttributes: {
        ERROR_CODE: { DataType: 'String', StringValue: 'SQS.AccessDenied' },
        ERROR_MESSAGE: { DataType: 'String', StringValue: 'Access to the queue was denied' },
        RULE_ARN: { DataType: 'String', StringValue: inventory.ruleArn },
        TARGET_ARN: { DataType: 'String', StringValue: inventory.queue.arn },
        EXHAUSTED_RETRY_CONDITION: { DataType: 'String', StringValue: 'MaximumRetryAttempts' },
        RETRY_ATTEMPTS: { DataType: 'String', StringValue: '185' },
      },
    }),
  );

  // An outbox publisher's on-failure queue: no queue redrives into it, its name says what it is.
  publisherDlq = await createQueue(
    env.sqs,
    'Shop-Orders-PublisherDeadLetterQueueBE1BF1E2-Zz9Yy8Xx7Ww6',
  );
  await env.sqs.send(
    new SendMessageCommand({
      QueueUrl: publisherDlq.url,
      MessageBody: JSON.stringify({
        requestContext: {
          requestId: 'r-1',
          functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:Shop-Orders-Publisher',
          condition: 'RetryAttemptsExhausted',
          approximateInvokeCount: 11,
        },
        responseContext: { statusCode: 200, functionError: 'Unhandled' },
        version: '1.0',
        timestamp: new Date().toISOString(),
        DDBStreamBatchInfo: {
          shardId: 'shardId-0001',
          startSequenceNumber: '100',
          endSequenceNumber: '120',
          batchSize: 3,
          streamArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/2024',
        },
      }),
    }),
  );
});

afterAll(async () => {
  await env?.stop();
});

function run(args: string[], opts: { tty?: boolean; input?: string } = {}) {
  const c = capture({ tty: opts.tty ?? false });
  if (opts.input !== undefined) c.stdin.end(opts.input);
  return { c, done: main([...args, '--endpoint-url', env.cloud.endpoint], c.io) };
}

interface Listed {
  name: string;
  depth: number;
  sources: string[];
  oldestMessage?: { ageSeconds: number; exact: boolean };
}

describe('dlq list', () => {
  it('lists every dead-letter queue with its depth, oldest message and source', async () => {
    const { c, done } = run(['list', '--json']);
    expect(await done).toBe(0);
    const { deadLetterQueues } = JSON.parse(c.stdout()) as { deadLetterQueues: Listed[] };
    expect(deadLetterQueues.map((q) => q.name)).toEqual([inventory.dlq.name, publisherDlq.name]);
    expect(deadLetterQueues[0]).toMatchObject({
      depth: 3,
      sources: [inventory.queue.name],
      oldestMessage: { exact: true },
    });
    expect(deadLetterQueues[0]!.oldestMessage!.ageSeconds).toBeGreaterThanOrEqual(0);
    expect(deadLetterQueues[1]).toMatchObject({ depth: 1, sources: [] });
  });

  it('prints a table, and reading for the age left the messages in place', async () => {
    const { c, done } = run(['list']);
    expect(await done).toBe(0);
    expect(c.stdout()).toMatch(/QUEUE\s+DEPTH\s+IN FLIGHT\s+OLDEST\s+DEAD LETTERS OF/);
    expect(c.stdout()).toContain('(on-failure destination)');
    expect(c.stdout()).toContain('2 dead-letter queues; 4 messages in 2 of them.');
  });
});

describe('dlq show', () => {
  it('shows each event with its ids, receive count and why it is there', async () => {
    const { c, done } = run(['show', 'Shop-Inventory']);
    expect(await done).toBe(0);
    const out = c.stdout();
    expect(out).toContain(
      `${inventory.dlq.name}: 3 messages (0 in flight), dead letters of ${inventory.queue.name} (maxReceiveCount 2)`,
    );
    for (const id of failedIds) expect(out).toContain(`eventId       ${id}`);
    expect(out).toContain('correlationId ord-7');
    expect(out).toContain("Its consumer received it 2 times (the source queue's maxReceiveCount)");
    expect(out).toContain('error         SQS.AccessDenied: Access to the queue was denied');
    expect(out).toContain('EventBridge could not deliver it');
    expect(out).toContain('By event: ');
    expect(out).toContain("The local cloud prints every function's log lines");
  });

  it('explains an outbox publisher failure record, in JSON too', async () => {
    const { c, done } = run(['show', publisherDlq.url, '--json']);
    expect(await done).toBe(0);
    const out = JSON.parse(c.stdout()) as {
      messages: { kind: string; streamBatch: unknown; reason: string }[];
    };
    expect(out.messages).toHaveLength(1);
    expect(out.messages[0]).toMatchObject({
      kind: 'stream-batch',
      streamBatch: { shardId: 'shardId-0001', batchSize: 3, condition: 'RetryAttemptsExhausted' },
    });
    expect(out.messages[0]!.reason).toContain('redrive cannot');
  });

  it('names the candidates when a queue is ambiguous or unknown (exit 2)', async () => {
    const ambiguous = run(['show', 'DeadLetterQueue']);
    expect(await ambiguous.done).toBe(2);
    expect(ambiguous.c.stderr()).toContain("'DeadLetterQueue' matches 2 dead-letter queues");
    const unknown = run(['show', 'nope']);
    expect(await unknown.done).toBe(2);
    expect(unknown.c.stderr()).toContain(
      `Dead-letter queues: ${inventory.dlq.name}, ${publisherDlq.name}`,
    );
  });
});

describe('dlq redrive', () => {
  it('refuses a queue that is no queue’s dead-letter queue, saying why', async () => {
    const { c, done } = run(['redrive', publisherDlq.name]);
    expect(await done).toBe(1);
    expect(c.stderr()).toContain("is no queue's dead-letter queue");
    expect(c.stderr()).toContain('republish from the stream');
  });

  it('moves every message back to the source queue and follows the task to COMPLETED', async () => {
    const { c, done } = run(['redrive', inventory.dlq.name, '--json']);
    expect(await done).toBe(0);
    expect(JSON.parse(c.stdout())).toMatchObject({ status: 'COMPLETED', moved: 3, toMove: 3 });
    const back = await drain(env.sqs, inventory.queue);
    // Both kinds: the consumer's failures and the one EventBridge could not deliver.
    expect(eventIdsOf(back)).toEqual([...failedIds, 'evt-undelivered'].sort());
    expect(await drain(env.sqs, inventory.dlq)).toEqual([]);
  });

  it('moves a schedule DLQ (no RedrivePolicy names it) back to the queue its redrive-to tag names', async () => {
    const target = await createQueue(env.sqs, 'Shop-Orders-DeadlineTarget-Qq1');
    const deadlines = await createQueue(env.sqs, 'Shop-Orders-DeadlinesDeadLetterQueue-Qq2');
    await env.sqs.send(
      new TagQueueCommand({ QueueUrl: deadlines.url, Tags: { 'redrive-to': target.arn } }),
    );
    await env.sqs.send(
      new SendMessageCommand({ QueueUrl: deadlines.url, MessageBody: '{"orderId":"o-1"}' }),
    );
    const { c, done } = run(['redrive', deadlines.name, '--json']);
    expect(await done, c.stderr()).toBe(0);
    expect(JSON.parse(c.stdout())).toMatchObject({
      status: 'COMPLETED',
      destination: target.name,
      moved: 1,
    });
    expect((await drain(env.sqs, target)).map((m) => m.Body)).toEqual(['{"orderId":"o-1"}']);
  });

  it('says there is nothing to do on an empty queue', async () => {
    const { c, done } = run(['redrive', inventory.dlq.name]);
    expect(await done).toBe(0);
    expect(c.stdout()).toContain('Nothing to redrive');
  });
});

describe('dlq discard', () => {
  it('refuses without a terminal and without --yes (exit 2), and keeps the messages', async () => {
    const { c, done } = run(['discard', publisherDlq.name]);
    expect(await done).toBe(2);
    expect(c.stderr()).toContain('standard input is not a terminal. Pass --yes');
    const listed = run(['list', '--json', '--no-peek']);
    await listed.done;
    expect(listed.c.stdout()).toContain('"depth": 1');
  });

  it('keeps the messages when the operator answers no', async () => {
    const { c, done } = run(['discard', publisherDlq.name], { tty: true, input: 'n\n' });
    expect(await done).toBe(1);
    expect(c.stderr()).toContain(
      `Discard all 1 message in ${publisherDlq.name}? They cannot be recovered. [y/N]`,
    );
    expect(c.stdout()).toContain('Nothing discarded.');
  });

  it('purges after the operator answers yes', async () => {
    const { c, done } = run(['discard', publisherDlq.name], { tty: true, input: 'y\n' });
    expect(await done).toBe(0);
    expect(c.stdout()).toContain(`Discarded 1 message from ${publisherDlq.name}.`);
    expect(await drain(env.sqs, publisherDlq)).toEqual([]);
  });

  it('purges with --yes and no terminal', async () => {
    await env.sqs.send(new SendMessageCommand({ QueueUrl: inventory.dlq.url, MessageBody: '{}' }));
    const { c, done } = run(['discard', inventory.dlq.name, '--yes', '--json']);
    expect(await done).toBe(0);
    expect(JSON.parse(c.stdout())).toEqual({
      queue: inventory.dlq.name,
      purged: true,
      messages: 1,
    });
  });

  it('will not purge a queue that is not a dead-letter queue', async () => {
    const { c, done } = run(['discard', inventory.queue.name, '--yes']);
    expect(await done).toBe(1);
    expect(c.stderr()).toContain('is not a dead-letter queue');
  });
});

describe('dlq usage', () => {
  it.each([
    [[], /No command given/],
    [['frobnicate'], /Unknown command 'frobnicate'/],
    [['show'], /takes exactly one queue/],
    [['list', 'x'], /dlq list takes no queue/],
    [['show', 'x', '--max', '0'], /--max must be a whole number of 1 or more/],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const { c, done } = run(args);
    expect(await done).toBe(2);
    expect(c.stderr()).toMatch(message);
  });
});
