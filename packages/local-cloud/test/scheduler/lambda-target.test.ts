/**
 * A schedule whose target is a function of a loaded app: at its time the
 * function runs with the schedule's Input as its event (Scheduler's Lambda
 * templated target invokes asynchronously:
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-templated.html).
 */
import { GetItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadApp, type RunningApp } from '../../src/app/index.js';
import { startLocalCloud, type LocalCloud } from '../../src/cloud.js';
import { ManualClock } from '../../src/core/clock.js';
import { clientConfig, eventually, synthFixture } from '../app/support.js';

const clock = new ManualClock();
let cloud: LocalCloud;
let app: RunningApp;
let scheduler: SchedulerClient;
let ddb: DynamoDBClient;

beforeAll(async () => {
  const cdkOut = synthFixture();
  cloud = await startLocalCloud({ port: 0, clock });
  app = await loadApp({ cdkOut, cloud, apiPort: 0, log: () => {}, functionLog: () => {} });
  scheduler = new SchedulerClient(clientConfig(cloud));
  ddb = new DynamoDBClient(clientConfig(cloud));
});

afterAll(async () => {
  scheduler?.destroy();
  ddb?.destroy();
  await app?.stop();
  await cloud?.stop();
});

it('invokes the function with the Input as its event, at the schedule time', async () => {
  const fn = app.functions.find((f) => f.config.label.endsWith('/OnEvent'));
  expect(fn, 'the fixture has an OnEvent function').toBeDefined();
  const table = Object.values(app.stacks['FixtureData']!.resources).find(
    (r) => r.type === 'AWS::DynamoDB::Table',
  )!.physicalId;
  const item = () =>
    ddb
      .send(
        new GetItemCommand({
          TableName: table,
          Key: { pk: { S: 'event#scheduled-1' }, sk: { S: 'deadline' } },
        }),
      )
      .then((r) => r.Item);

  await scheduler.send(
    new CreateScheduleCommand({
      Name: 'lambda-target',
      ScheduleExpression: `at(${new Date(clock.now() + 10 * 60_000).toISOString().slice(0, 19)})`,
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: fn!.config.functionArn,
        RoleArn: 'arn:aws:iam::000000000000:role/scheduler',
        Input: JSON.stringify({ id: 'scheduled-1', kind: 'deadline' }),
      },
    }),
  );
  await clock.advance(9 * 60_000);
  await cloud.scheduler.settled();
  expect(await item()).toBeUndefined();

  await clock.advance(60_000);
  const written = await eventually(item, 20_000, 'the function to record the scheduled event');
  expect(written['pk']?.S).toBe('event#scheduled-1');
});
