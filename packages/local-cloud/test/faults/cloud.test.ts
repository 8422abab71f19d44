/**
 * Fault injection through the real local cloud: the /_local/faults endpoints,
 * and the SQS and EventBridge hooks spoken to with the AWS SDK v3.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { startLocalCloud, type LocalCloud } from '../../src/cloud.js';
import { NO_FAULTS } from '../../src/faults/plan.js';

let cloud: LocalCloud;
let sqs: SQSClient;
let events: EventBridgeClient;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, dynamodb: false });
  const config = {
    endpoint: cloud.endpoint,
    region: cloud.context.region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  sqs = new SQSClient(config);
  events = new EventBridgeClient({ ...config, maxAttempts: 1 });
});
afterEach(() => cloud.faults.clear());
afterAll(async () => {
  sqs?.destroy();
  events?.destroy();
  await cloud?.stop();
});

const faultsUrl = () => `${cloud.endpoint}/_local/faults`;
const put = (body: string) => fetch(faultsUrl(), { method: 'PUT', body });

async function queue(name: string): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  return { url: QueueUrl!, arn: cloud.sqs.queueArnFromUrl(QueueUrl!) };
}

/** Receives until `count` messages arrived or `ms` passed (short long polls). */
async function receiveAll(url: string, count: number, ms = 5_000): Promise<Message[]> {
  const got: Message[] = [];
  const until = Date.now() + ms;
  while (got.length < count && Date.now() < until) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    got.push(...(out.Messages ?? []));
  }
  return got;
}

describe('/_local/faults', () => {
  it('starts disabled, with the plan at NO_FAULTS', async () => {
    const res = await fetch(faultsUrl());
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ enabled: false, plan: NO_FAULTS });
    expect(body['injected']).toMatchObject({ handlerError: 0, duplicate: 0 });
  });

  it('PUT enables a plan merged over NO_FAULTS, GET shows it, DELETE turns it off', async () => {
    const res = await put(JSON.stringify({ seed: 9, duplicateRate: 0.25, functions: ['Orders'] }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      enabled: true,
      plan: { ...NO_FAULTS, seed: 9, duplicateRate: 0.25, functions: ['Orders'] },
    });
    expect(cloud.faults.enabled()).toBe(true);
    expect(((await (await fetch(faultsUrl())).json()) as { enabled: boolean }).enabled).toBe(true);

    const off = await fetch(faultsUrl(), { method: 'DELETE' });
    expect(off.status).toBe(200);
    expect(await off.json()).toMatchObject({ enabled: false });
    expect(cloud.faults.enabled()).toBe(false);
  });

  it.each([
    [
      '{"handlerErrorRate": 2}',
      'handlerErrorRate must be a number from 0 to 1 (a probability); received 2.',
    ],
    ['{"reorderMaxDelayMs": -5}', 'reorderMaxDelayMs must be an integer number of milliseconds'],
    ['{"seed": "x"}', 'seed must be an integer from 0 to 4294967295'],
    ['{"functions": [3]}', 'functions must be a list of non-empty strings'],
    ['{"dupRate": 0.1}', "Unknown fault plan field 'dupRate'"],
    ['[0.1]', 'A fault plan is a JSON object'],
    ['not json', 'must be a JSON fault plan'],
  ])('answers 400 naming the problem for %s', async (body, message) => {
    const res = await put(body);
    expect(res.status).toBe(400);
    const error = (await res.json()) as { __type: string; message: string };
    expect(error.__type).toBe('ValidationException');
    expect(error.message).toContain(message);
    expect(cloud.faults.enabled()).toBe(false); // nothing changed
  });
});

describe('EventBridge PutEvents throttling', () => {
  const entries = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      Source: 'faults.test',
      DetailType: 'Throttled',
      Detail: JSON.stringify({ i }),
    }));

  it('throttles every entry at rate 1: not put on the bus, counted as failed', async () => {
    const before = cloud.context.recorder.metrics().eventsPut;
    cloud.faults.set({ seed: 1, putEventsThrottleRate: 1 });
    const out = await events.send(new PutEventsCommand({ Entries: entries(4) }));
    expect(out.FailedEntryCount).toBe(4);
    expect(out.Entries).toEqual(
      Array.from({ length: 4 }, () => ({
        ErrorCode: 'ThrottlingException',
        ErrorMessage: 'Rate exceeded',
      })),
    );
    expect(cloud.context.recorder.metrics().eventsPut).toBe(before);
    expect(cloud.faults.stats().putEventsThrottle).toBe(4);
  });

  it('throttles none at rate 0, and reports a bad entry as before', async () => {
    cloud.faults.set({ seed: 1, putEventsThrottleRate: 0 });
    const out = await events.send(
      new PutEventsCommand({ Entries: [...entries(3), { Source: 'faults.test', Detail: '{}' }] }),
    );
    expect(out.FailedEntryCount).toBe(1);
    expect(out.Entries?.slice(0, 3).every((e) => typeof e.EventId === 'string')).toBe(true);
    expect(out.Entries?.[3]?.ErrorCode).toBe('InvalidArgument');
  });
});

describe('SQS at-least-once redelivery', () => {
  it('at duplicateRate 1, a deleted message comes back as a copy', async () => {
    const q = await queue('faults-redeliver');
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: q.url,
        MessageBody: 'hello',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'greeting' } },
      }),
    );
    cloud.faults.set({ seed: 1, duplicateRate: 1, reorderMaxDelayMs: 50 });
    const [first] = await receiveAll(q.url, 1);
    await sqs.send(
      new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: first!.ReceiptHandle }),
    );
    const [again] = await receiveAll(q.url, 1);
    expect(again?.Body).toBe('hello');
    expect(again?.MessageId).not.toBe(first!.MessageId);
    expect(again?.Attributes?.['ApproximateReceiveCount']).toBe('1');
    expect(again?.Attributes?.['SentTimestamp']).toBe(first!.Attributes?.['SentTimestamp']);
    expect(again?.MD5OfMessageAttributes).toBe(first!.MD5OfMessageAttributes);
    expect(cloud.faults.stats().duplicate).toBe(1);
  });

  it('with faults off, a deleted message is gone', async () => {
    const q = await queue('faults-no-redeliver');
    await sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: 'once' }));
    const [first] = await receiveAll(q.url, 1);
    await sqs.send(
      new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: first!.ReceiptHandle }),
    );
    expect(await receiveAll(q.url, 1, 1_500)).toEqual([]);
  });
});

describe('EventBridge target delivery', () => {
  async function ruleToQueue(name: string) {
    const q = await queue(name);
    await events.send(
      new PutRuleCommand({ Name: name, EventPattern: JSON.stringify({ source: [name] }) }),
    );
    await events.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'q', Arn: q.arn }] }));
    return q;
  }
  const send = (source: string, n: number) =>
    events.send(
      new PutEventsCommand({
        Entries: Array.from({ length: n }, (_, i) => ({
          Source: source,
          DetailType: 'Numbered',
          Detail: JSON.stringify({ i }),
        })),
      }),
    );
  const numbers = (messages: Message[]) =>
    messages.map((m) => (JSON.parse(m.Body!) as { detail: { i: number } }).detail.i);

  it('at duplicateRate 1, delivers every event twice', async () => {
    const q = await ruleToQueue('faults-duplicate');
    cloud.faults.set({ seed: 2, duplicateRate: 1 });
    await send('faults-duplicate', 3);
    await cloud.events.settled();
    const got = await receiveAll(q.url, 6);
    expect(numbers(got).sort()).toEqual([0, 0, 1, 1, 2, 2]);
    // The same event (same id) twice, as EventBridge's at-least-once delivery does.
    expect(new Set(got.map((m) => (JSON.parse(m.Body!) as { id: string }).id)).size).toBe(3);
    expect(await receiveAll(q.url, 1, 1_000)).toEqual([]);
  });

  it('delays deliveries by up to reorderMaxDelayMs, and settled() waits for them', async () => {
    const q = await ruleToQueue('faults-reorder');
    cloud.faults.set({ seed: 3, reorderMaxDelayMs: 300 });
    await send('faults-reorder', 10); // one request: without delays they arrive in order
    await cloud.events.settled();
    expect(cloud.faults.stats().delayed).toBeGreaterThan(0);
    const got = numbers(await receiveAll(q.url, 10));
    expect([...got].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(got).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(cloud.sqs.getQueueAttributes(q.arn)['ApproximateNumberOfMessages']).toBe('0');
  });
});
