/**
 * AWS::Scheduler::ScheduleGroup and AWS::Scheduler::Schedule deployed from a
 * template onto a started cloud: Ref is the name, Fn::GetAtt Arn the ARN, and
 * the schedule fires on the cloud's clock.
 */
import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DeployEnv } from '../../src/app/resources/types.js';
import type { StackArtifact, Template } from '../../src/app/template/assembly.js';
import { deployStack } from '../../src/app/template/deploy.js';
import { startLocalCloud, type LocalCloud } from '../../src/cloud.js';
import { ManualClock } from '../../src/core/clock.js';

const clock = new ManualClock(Date.parse('2026-06-01T08:00:00Z'));
let cloud: LocalCloud;
let sqs: SQSClient;
let scheduler: SchedulerClient;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, dynamodb: false, clock });
  const config = {
    endpoint: cloud.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'any', secretAccessKey: 'any' },
  };
  sqs = new SQSClient(config);
  scheduler = new SchedulerClient(config);
});

afterAll(async () => {
  sqs?.destroy();
  scheduler?.destroy();
  await cloud?.stop();
});

const template: Template = {
  Resources: {
    Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
    Group: { Type: 'AWS::Scheduler::ScheduleGroup', Properties: { Name: 'Shop-Orders-deadlines' } },
    Nightly: {
      Type: 'AWS::Scheduler::Schedule',
      Properties: {
        GroupName: { Ref: 'Group' },
        ScheduleExpression: 'cron(30 2 * * ? *)',
        ScheduleExpressionTimezone: 'Europe/Paris',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: {
          Arn: { 'Fn::GetAtt': ['Queue', 'Arn'] },
          RoleArn: 'arn:aws:iam::000000000000:role/scheduler',
          Input: { job: 'nightly' },
          RetryPolicy: { MaximumRetryAttempts: 3 },
        },
      },
    },
  },
  Outputs: {
    GroupName: { Value: { Ref: 'Group' } },
    GroupArn: { Value: { 'Fn::GetAtt': ['Group', 'Arn'] } },
    ScheduleName: { Value: { Ref: 'Nightly' } },
    ScheduleArn: { Value: { 'Fn::GetAtt': ['Nightly', 'Arn'] } },
    QueueUrl: { Value: { Ref: 'Queue' } },
  },
};

it('creates the group and the schedule, which fires at its wall-clock time', async () => {
  const env = {
    accountId: '000000000000',
    region: 'us-east-1',
    endpoint: cloud.endpoint,
    sqs,
    log: () => {},
    parameters: new Map<string, string>(),
  } as unknown as DeployEnv;
  const stack: StackArtifact = {
    artifactId: 'Shop-Orders',
    stackName: 'Shop-Orders',
    template,
    parameters: {},
    dependencies: [],
    assets: new Map(),
  };
  const { outputs } = await deployStack(stack, { env, exports: new Map(), nameSeed: '' });
  expect(outputs['GroupName']).toBe('Shop-Orders-deadlines');
  expect(outputs['GroupArn']).toBe(
    'arn:aws:scheduler:us-east-1:000000000000:schedule-group/Shop-Orders-deadlines',
  );
  const name = String(outputs['ScheduleName']);
  expect(outputs['ScheduleArn']).toBe(
    `arn:aws:scheduler:us-east-1:000000000000:schedule/Shop-Orders-deadlines/${name}`,
  );
  const got = await scheduler.send(
    new GetScheduleCommand({ Name: name, GroupName: 'Shop-Orders-deadlines' }),
  );
  expect(got.Target?.Input).toBe('{"job":"nightly"}');
  expect(got.Target?.RetryPolicy?.MaximumRetryAttempts).toBe(3);

  // 02:30 in Paris on 2 June (CEST, UTC+2) is 00:30 UTC.
  await clock.advanceTo(Date.parse('2026-06-02T00:29:59Z'));
  const queueUrl = String(outputs['QueueUrl']);
  const none = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }));
  expect(none.Messages ?? []).toEqual([]);
  await clock.advanceTo(Date.parse('2026-06-02T00:30:00Z'));
  const fired = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }));
  expect(fired.Messages?.map((m) => m.Body)).toEqual(['{"job":"nightly"}']);
});
