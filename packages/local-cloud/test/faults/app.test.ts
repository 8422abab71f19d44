/**
 * Function faults on the fixture CDK app (test/fixtures/app) running on the
 * local cloud: the event-source poller and Lambda's API see injected failures
 * exactly as they see real ones.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { LocalCloud } from '../../src/cloud.js';
import { loadApp, type RunningApp } from '../../src/app/index.js';
import { clientConfig, eventually, startCloud, synthFixture } from '../app/support.js';

let cloud: LocalCloud;
let app: RunningApp;
const logs: string[] = [];
let ddb: DynamoDBClient;
let sqs: SQSClient;
let events: EventBridgeClient;
let lambda: LambdaClient;

const resourceOf = (stack: string, type: string) =>
  Object.values(app.stacks[stack]!.resources).find((r) => r.type === type)!;
const service = (logicalId: string) => app.stacks['FixtureService']!.resources[logicalId]!;

beforeAll(async () => {
  cloud = await startCloud();
  app = await loadApp({
    cdkOut: synthFixture(),
    cloud,
    apiPort: 0,
    log: (l) => logs.push(l),
    functionLog: (label, l) => logs.push(`[${label}] ${l}`),
  });
  ddb = new DynamoDBClient(clientConfig(cloud));
  sqs = new SQSClient(clientConfig(cloud));
  events = new EventBridgeClient(clientConfig(cloud));
  lambda = new LambdaClient({ ...clientConfig(cloud), maxAttempts: 1 });
});
afterEach(() => cloud.faults.clear());
afterAll(async () => {
  for (const c of [ddb, sqs, events, lambda]) c?.destroy();
  await app?.stop();
  await cloud?.stop();
});

const requestItem = (id: string) =>
  events.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: resourceOf('FixtureData', 'AWS::Events::EventBus').physicalId,
          Source: 'fixture.test',
          DetailType: 'ItemRequested',
          Detail: JSON.stringify({ id }),
        },
      ],
    }),
  );

const consumed = async (id: string) =>
  (
    await ddb.send(
      new GetItemCommand({
        TableName: resourceOf('FixtureData', 'AWS::DynamoDB::Table').physicalId,
        Key: { pk: { S: `consumed#${id}` }, sk: { S: '1' } },
      }),
    )
  ).Item;

describe('function faults on a deployed app', () => {
  it('handlerError at rate 1: an SQS-triggered function fails, its message comes back and reaches the DLQ', async () => {
    cloud.faults.set({ seed: 1, handlerErrorRate: 1, functions: ['Consumer'] });
    await requestItem('doomed');
    const dlqUrl = service('ConsumerDlq764F6C13').physicalId;
    const [dead] = await eventually(
      async () => {
        const out = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: dlqUrl,
            WaitTimeSeconds: 1,
            MessageSystemAttributeNames: ['All'],
          }),
        );
        return out.Messages;
      },
      30_000,
      'the message to reach the dead-letter queue',
    );
    expect((JSON.parse(dead!.Body!) as { detail: { id: string } }).detail.id).toBe('doomed');
    // Received maxReceiveCount (3) times from the queue, once more now from the DLQ.
    expect(dead!.Attributes?.['ApproximateReceiveCount']).toBe('4');
    expect(dead!.Attributes?.['DeadLetterQueueSourceArn']).toBe(
      service('ConsumerQueue8831D5EC').attributes['Arn'],
    );
    const failures = logs.filter(
      (l) => l.includes('Consumer failed (Injected.HandlerError') && l.includes('return after'),
    );
    expect(failures.length).toBe(3);
    expect(cloud.faults.stats().handlerError).toBe(3);
    // The handler never ran, so nothing was consumed.
    expect(logs.some((l) => l.includes('message doomed receive'))).toBe(false);
    expect(await consumed('doomed')).toBeUndefined();
  });

  it('killWorker at rate 1: the invocation fails with Runtime.ExitError and the worker is replaced', async () => {
    const slow = app.findFunction('FixtureService/Slow')!;
    const invoke = async (ms: number) => {
      const out = await lambda.send(
        new InvokeCommand({
          FunctionName: slow.config.functionName,
          Payload: new TextEncoder().encode(JSON.stringify({ ms })),
        }),
      );
      return { error: out.FunctionError, body: JSON.parse(Buffer.from(out.Payload!).toString()) };
    };
    expect((await invoke(0)).error).toBeUndefined(); // a warm worker to kill
    const cold = slow.stats.coldStarts;
    cloud.faults.set({ seed: 1, killWorkerRate: 1, functions: ['Slow'] });
    const killed = await invoke(300);
    expect(killed.error).toBe('Unhandled');
    expect(killed.body).toMatchObject({
      errorType: 'Runtime.ExitError',
      errorMessage: expect.stringContaining(
        'Runtime exited with error: exit status 137',
      ) as unknown,
    });
    cloud.faults.clear();
    expect(await invoke(0)).toMatchObject({ error: undefined, body: { slept: 0 } });
    expect(slow.stats.coldStarts).toBe(cold + 1);
  });

  it('once the plan is cleared, everything goes through again', async () => {
    cloud.faults.set({ seed: 1, handlerErrorRate: 1, killWorkerRate: 1 });
    cloud.faults.clear();
    await requestItem('fine');
    const item = await eventually(() => consumed('fine'), 15_000, 'the item to be consumed');
    expect(item['eventSource']).toEqual({ S: 'aws:sqs' });
    expect(cloud.faults.stats()).toMatchObject({ handlerError: 0, killWorker: 0 });
  });
});
