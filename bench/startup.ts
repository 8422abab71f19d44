import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { OrderPlaced, patternFor } from '../events/index.js';
import { startLocalCloud, type LocalCloud } from '@shop/local-cloud';
import { commit } from '../plumbing/outbox.js';
import {
  clientConfig,
  descendantRssMiB,
  snapshot,
  type MemorySnapshot,
  fromRounds,
  single,
  type Row,
  ratios,
  now,
  type Benchmark,
} from '@shop/local-cloud/bench';
import { orderPlaced, stockReserved } from './lib/shop-events.js';

export const startupBenchmark: Benchmark = {
  name: 'startup',
  description: 'startLocalCloud time to ready with and without DynamoDB; memory up and after load',
  async run(ctx) {
    const starts = ctx.quick ? 2 : 5;
    const load = ctx.quick
      ? { messages: 500, events: 300, transactions: 100 }
      : { messages: 3000, events: 2000, transactions: 600 };

    const withDdb = { ready: [] as number[], dynamodb: [] as number[], stop: [] as number[] };
    const without = { ready: [] as number[], stop: [] as number[] };
    ctx.log(`startup: ${starts} starts each, with and without DynamoDB, alternating`);
    for (let i = 0; i < starts; i++) {
      // Alternate which goes first so neither always starts on a busier machine.
      for (const dynamodb of i % 2 === 0 ? [true, false] : [false, true]) {
        // Timed here too: startup.totalMs counts whole milliseconds, too coarse without the JVM.
        const called = now();
        const cloud = await startLocalCloud({ port: 0, dynamodb });
        const ready = now() - called;
        const stopStart = now();
        await cloud.stop();
        const stopMs = now() - stopStart;
        if (dynamodb) {
          withDdb.ready.push(ready);
          withDdb.dynamodb.push(cloud.startup.dynamodbMs);
          withDdb.stop.push(stopMs);
        } else {
          without.ready.push(ready);
          without.stop.push(stopMs);
        }
      }
    }

    ctx.log('startup: memory with the cloud up, then after a load run');
    const before = snapshot();
    let cloud: LocalCloud | undefined;
    let up: MemorySnapshot;
    let after: MemorySnapshot;
    let jvmUp: number | undefined;
    let jvmAfter: number | undefined;
    try {
      cloud = await startLocalCloud({ port: 0 });
      up = snapshot();
      jvmUp = descendantRssMiB('java');
      await loadRun(cloud, load);
      after = snapshot();
      jvmAfter = descendantRssMiB('java');
    } finally {
      await cloud?.stop();
    }

    const mem = (label: string, m: MemorySnapshot): Row[] => [
      single(`${label}: RSS`, m.rssMiB, 'MiB'),
      single(`${label}: heap used`, m.heapUsedMiB, 'MiB'),
      single(`${label}: external`, m.externalMiB, 'MiB'),
    ];
    const rows: Row[] = [
      fromRounds('ready, with DynamoDB', withDdb.ready, 'ms'),
      fromRounds('  of which DynamoDB Local', withDdb.dynamodb, 'ms'),
      fromRounds(
        '  DynamoDB Local share',
        ratios(withDdb.dynamodb, withDdb.ready).map((r) => r * 100),
        '%',
      ),
      fromRounds('ready, without DynamoDB', without.ready, 'ms'),
      fromRounds('stop(), with DynamoDB', withDdb.stop, 'ms'),
      fromRounds('stop(), without DynamoDB', without.stop, 'ms'),
      ...mem('before start', before),
      ...mem('cloud up', up),
      ...mem('after load', after),
      single('cloud up − before: heap used', up.heapUsedMiB - before.heapUsedMiB, 'MiB'),
      single('after load − cloud up: heap used', after.heapUsedMiB - up.heapUsedMiB, 'MiB'),
      single(
        'heap growth per event put (event log)',
        ((after.heapUsedMiB - up.heapUsedMiB) * 1024) / load.events,
        'KiB',
      ),
      ...(jvmUp === undefined ? [] : [single('DynamoDB Local JVM, cloud up: RSS', jvmUp, 'MiB')]),
      ...(jvmAfter === undefined
        ? []
        : [single('DynamoDB Local JVM, after load: RSS', jvmAfter, 'MiB')]),
    ];
    return {
      name: 'startup',
      rows,
      notes: [
        'Ready = from calling startLocalCloud to its promise resolving (every service answering), timed here; modules already loaded.',
        'Memory is this Node process (cloud + benchmark clients) after a forced full GC; RSS also counts code and earlier benchmarks.',
        `Load run: ${load.messages} SQS messages (batches of 10), ${load.events} events to 5 rules -> 5 queues (received, deleted), ${load.transactions} outbox transactions; the cloud keeps every event put in its log (GET /_local/events, up to 200,000), which is most of the heap growth.`,
        'The JVM runs as a child process; its RSS is read from /proc (absent elsewhere).',
      ],
    };
  },
};

/** A mixed load through the edge so the memory figure reflects a cloud that has done work. */
async function loadRun(
  cloud: LocalCloud,
  load: { messages: number; events: number; transactions: number },
): Promise<void> {
  const sqs = new SQSClient(clientConfig(cloud.endpoint));
  const eb = new EventBridgeClient(clientConfig(cloud.endpoint));
  const ddb = new DynamoDBClient(clientConfig(cloud.endpoint));
  try {
    const drain = async (url: string, count: number) => {
      for (let got = 0; got < count;) {
        const r = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 5 }),
        );
        const msgs = r.Messages ?? [];
        if (msgs.length === 0) throw new Error(`${url} stayed empty with ${count - got} expected.`);
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: url,
            Entries: msgs.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
          }),
        );
        got += msgs.length;
      }
    };

    const { QueueUrl: url } = await sqs.send(new CreateQueueCommand({ QueueName: 'load' }));
    for (let sent = 0; sent < load.messages; sent += 10) {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: Array.from({ length: 10 }, (_, i) => ({
            Id: String(i),
            MessageBody: JSON.stringify(orderPlaced()),
          })),
        }),
      );
      await drain(url!, 10);
    }

    await eb.send(new CreateEventBusCommand({ Name: 'load' }));
    const queues: string[] = [];
    for (let j = 0; j < 5; j++) {
      const q = await sqs.send(new CreateQueueCommand({ QueueName: `load-${j}` }));
      queues.push(q.QueueUrl!);
      await eb.send(
        new PutRuleCommand({
          Name: `r${j}`,
          EventBusName: 'load',
          EventPattern: JSON.stringify(patternFor([OrderPlaced])),
        }),
      );
      await eb.send(
        new PutTargetsCommand({
          Rule: `r${j}`,
          EventBusName: 'load',
          Targets: [{ Id: 'q', Arn: cloud.sqs.queueArnFromUrl(q.QueueUrl!) }],
        }),
      );
    }
    for (let put = 0; put < load.events; put += 10) {
      await eb.send(
        new PutEventsCommand({
          Entries: Array.from({ length: 10 }, () => {
            const e = orderPlaced();
            return {
              EventBusName: 'load',
              Source: e.source,
              DetailType: e.detailType,
              Detail: JSON.stringify(e.detail),
            };
          }),
        }),
      );
    }
    await Promise.all(queues.map((q) => drain(q, load.events)));

    const table = 'load-service';
    await ddb.send(
      new CreateTableCommand({
        TableName: table,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    );
    const doc = DynamoDBDocumentClient.from(ddb);
    for (let i = 0; i < load.transactions; i++) {
      const event = stockReserved();
      await commit(doc, table, {
        handledEventId: randomUUID(),
        writes: [
          {
            Put: {
              TableName: table,
              Item: { pk: `STATE#${event.detail.data.orderId}`, version: 1 },
            },
          },
        ],
        events: [event],
      });
    }
  } finally {
    sqs.destroy();
    eb.destroy();
    ddb.destroy();
  }
}
