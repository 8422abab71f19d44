import {
  CreateArchiveCommand,
  CreateEventBusCommand,
  DescribeArchiveCommand,
  DescribeReplayCommand,
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  StartReplayCommand,
  TestEventPatternCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../src/cloud.js';

/** The real SDK v3 clients against the edge, as an application would use them. */
let cloud: LocalCloud;
let events: EventBridgeClient;
let sqs: SQSClient;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, dynamodb: false });
  const config = {
    endpoint: cloud.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  events = new EventBridgeClient(config);
  sqs = new SQSClient(config);
});

afterAll(async () => {
  events?.destroy();
  sqs?.destroy();
  await cloud?.stop();
});

async function queue(name: string): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  return { url: QueueUrl!, arn: Attributes!['QueueArn']! };
}

/** Receives until `count` messages arrived (long polls; gives up after a few empty polls). */
async function receive(url: string, count: number): Promise<Record<string, unknown>[]> {
  const bodies: Record<string, unknown>[] = [];
  for (let polls = 0; bodies.length < count && polls < 5; polls++) {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 2 }),
    );
    for (const m of Messages ?? []) bodies.push(JSON.parse(m.Body!) as Record<string, unknown>);
  }
  return bodies;
}

const order = (n: number, bus = 'shop'): PutEventsRequestEntry => ({
  EventBusName: bus,
  Source: 'shop.orders',
  DetailType: 'OrderPlaced',
  Detail: JSON.stringify({ n }),
});

describe('EventBridge through the edge with the AWS SDK', () => {
  it('routes a rule to an SQS queue and reports bad entries', async () => {
    await events.send(new CreateEventBusCommand({ Name: 'shop' }));
    const q = await queue('sdk-orders');
    await events.send(
      new PutRuleCommand({
        Name: 'orders',
        EventBusName: 'shop',
        EventPattern: JSON.stringify({
          source: ['shop.orders'],
          detail: { n: [{ numeric: ['>', 0] }] },
        }),
      }),
    );
    const targets = await events.send(
      new PutTargetsCommand({
        Rule: 'orders',
        EventBusName: 'shop',
        Targets: [
          {
            Id: 'q',
            Arn: q.arn,
            InputTransformer: {
              InputPathsMap: { n: '$.detail.n' },
              InputTemplate: '{"order": <n>}',
            },
          },
        ],
      }),
    );
    expect(targets.FailedEntryCount).toBe(0);

    const put = await events.send(
      new PutEventsCommand({ Entries: [order(1), order(0), { ...order(2), Detail: '[1]' }] }),
    );
    expect(put.FailedEntryCount).toBe(1);
    expect(put.Entries?.[2]).toEqual({
      ErrorCode: 'MalformedDetail',
      ErrorMessage: 'Detail is malformed.',
    });
    expect(await receive(q.url, 1)).toEqual([{ order: 1 }]);

    await expect(
      events.send(
        new PutEventsCommand({ Entries: Array.from({ length: 11 }, (_, i) => order(i)) }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('answers TestEventPattern', async () => {
    const event = {
      id: '1',
      account: '000000000000',
      source: 'shop.orders',
      time: '2024-01-01T00:00:00Z',
      region: 'us-east-1',
      'detail-type': 'OrderPlaced',
      detail: { n: 3 },
    };
    const result = await events.send(
      new TestEventPatternCommand({
        Event: JSON.stringify(event),
        EventPattern: JSON.stringify({ detail: { n: [3] } }),
      }),
    );
    expect(result.Result).toBe(true);
    await expect(
      events.send(new TestEventPatternCommand({ Event: '{}', EventPattern: '{"source":["x"]}' })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Parameter Event is not valid.',
    });
  });

  it('archives events and replays a window with replay-name', async () => {
    const { EventBusArn } = await events.send(new CreateEventBusCommand({ Name: 'replayed' }));
    const q = await queue('sdk-replayed');
    await events.send(
      new PutRuleCommand({
        Name: 'all',
        EventBusName: 'replayed',
        EventPattern: JSON.stringify({ source: ['shop.orders'] }),
      }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: 'all',
        EventBusName: 'replayed',
        Targets: [{ Id: 'q', Arn: q.arn }],
      }),
    );
    const { ArchiveArn } = await events.send(
      new CreateArchiveCommand({ ArchiveName: 'replayed-archive', EventSourceArn: EventBusArn }),
    );

    await events.send(new PutEventsCommand({ Entries: [order(1, 'replayed')] }));
    await sleep(20); // ingestion times must differ to make a window boundary
    const from = new Date();
    await sleep(20);
    await events.send(
      new PutEventsCommand({ Entries: [order(2, 'replayed'), order(3, 'replayed')] }),
    );
    await sleep(20);
    const to = new Date();
    const originals = await receive(q.url, 3);
    expect(originals.map((e) => (e['detail'] as { n: number }).n).sort()).toEqual([1, 2, 3]);
    const archive = await events.send(
      new DescribeArchiveCommand({ ArchiveName: 'replayed-archive' }),
    );
    expect(archive.EventCount).toBe(3);

    const started = await events.send(
      new StartReplayCommand({
        ReplayName: 'sdk-replay',
        EventSourceArn: ArchiveArn,
        EventStartTime: from,
        EventEndTime: to,
        Destination: { Arn: EventBusArn },
      }),
    );
    expect(started.State).toBe('STARTING');
    let state = started.State;
    for (let i = 0; i < 50 && state !== 'COMPLETED'; i++) {
      await sleep(20);
      state = (await events.send(new DescribeReplayCommand({ ReplayName: 'sdk-replay' }))).State;
    }
    expect(state).toBe('COMPLETED');

    const replayed = await receive(q.url, 2);
    expect(replayed.map((e) => (e['detail'] as { n: number }).n).sort()).toEqual([2, 3]);
    expect(replayed.every((e) => e['replay-name'] === 'sdk-replay')).toBe(true);
    const after = await events.send(
      new DescribeArchiveCommand({ ArchiveName: 'replayed-archive' }),
    );
    expect(after.EventCount).toBe(3); // replayed events are not archived again
  });
});
