/**
 * EventBridge Scheduler through @aws-sdk/client-scheduler against a started
 * cloud on a manual clock, held to the API reference
 * (https://docs.aws.amazon.com/scheduler/latest/APIReference/) and the user
 * guide's schedule types, retries and dead-letter queues
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html,
 * .../configuring-schedule-dlq.html), plus EventBridge rules with a
 * ScheduleExpression (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-rule-schedule.html).
 */
import {
  DisableRuleCommand,
  EnableRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateScheduleCommand,
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  DeleteScheduleGroupCommand,
  GetScheduleCommand,
  GetScheduleGroupCommand,
  ListScheduleGroupsCommand,
  ListSchedulesCommand,
  ListTagsForResourceCommand,
  SchedulerClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import type { ScheduledInvocation } from '../../src/scheduler/service.js';
import { failure, startConformance, type Conformance } from './support.js';

const START = Date.parse('2026-03-02T10:00:00Z');
const ROLE = 'arn:aws:iam::000000000000:role/scheduler';
const MINUTE = 60_000;

let c: Conformance;
let clock: ManualClock;
let scheduler: SchedulerClient;
let draw = 0.5;

beforeAll(async () => {
  clock = new ManualClock(START);
  c = await startConformance({ clock, random: () => draw });
  scheduler = new SchedulerClient({
    endpoint: c.cloud.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'any', secretAccessKey: 'any' },
  });
});

afterAll(async () => {
  scheduler?.destroy();
  await c?.stop();
});

async function queue(prefix: string): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await c.sqs.send(new CreateQueueCommand({ QueueName: c.name(prefix) }));
  const got = await c.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  return { url: QueueUrl!, arn: got.Attributes!['QueueArn']! };
}

async function receive(url: string): Promise<Message[]> {
  const got = await c.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: 10,
      MessageAttributeNames: ['All'],
      WaitTimeSeconds: 0,
    }),
  );
  return got.Messages ?? [];
}

/** `at(...)` of the clock's time plus `ms`, in UTC. */
const atIn = (ms: number) => `at(${new Date(clock.now() + ms).toISOString().slice(0, 19)})`;

function oneTime(
  name: string,
  target: string,
  overrides: Partial<CreateScheduleCommandInput> = {},
) {
  return new CreateScheduleCommand({
    Name: name,
    ScheduleExpression: atIn(5 * MINUTE),
    FlexibleTimeWindow: { Mode: 'OFF' },
    Target: { Arn: target, RoleArn: ROLE, Input: JSON.stringify({ name }) },
    ...overrides,
  });
}

describe('schedules: create, read, update, list, delete', () => {
  it('answers what was created, with the default group, state and retry policy', async () => {
    const q = await queue('crud');
    const name = c.name('crud');
    const created = await scheduler.send(
      oneTime(name, q.arn, { Description: 'first', ScheduleExpressionTimezone: 'Europe/Paris' }),
    );
    expect(created.ScheduleArn).toBe(
      `arn:aws:scheduler:us-east-1:000000000000:schedule/default/${name}`,
    );

    const got = await scheduler.send(new GetScheduleCommand({ Name: name }));
    expect(got).toMatchObject({
      Arn: created.ScheduleArn,
      Name: name,
      GroupName: 'default',
      State: 'ENABLED',
      Description: 'first',
      ScheduleExpressionTimezone: 'Europe/Paris',
      ActionAfterCompletion: 'NONE',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: q.arn,
        RoleArn: ROLE,
        RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
      },
    });
    expect(got.CreationDate).toEqual(new Date(START));
  });

  it('UpdateSchedule replaces the whole schedule: members left out are reset', async () => {
    const q = await queue('update');
    const name = c.name('update');
    await scheduler.send(oneTime(name, q.arn, { Description: 'kept?', State: 'DISABLED' }));
    await scheduler.send(
      new UpdateScheduleCommand({
        Name: name,
        ScheduleExpression: 'rate(5 minutes)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: q.arn, RoleArn: ROLE },
      }),
    );
    const got = await scheduler.send(new GetScheduleCommand({ Name: name }));
    expect(got.Description).toBeUndefined();
    expect(got.State).toBe('ENABLED');
    expect(got.ScheduleExpression).toBe('rate(5 minutes)');
    const missing = await failure(
      scheduler.send(
        new UpdateScheduleCommand({
          Name: c.name('never-created'),
          ScheduleExpression: 'rate(5 minutes)',
          FlexibleTimeWindow: { Mode: 'OFF' },
          Target: { Arn: q.arn, RoleArn: ROLE },
        }),
      ),
    );
    expect(missing).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
    await scheduler.send(new DeleteScheduleCommand({ Name: name }));
  });

  it('lists by group, prefix and state, a page at a time', async () => {
    const group = c.name('listing');
    await scheduler.send(new CreateScheduleGroupCommand({ Name: group }));
    const q = await queue('list');
    for (const [n, state] of [
      ['a-1', 'ENABLED'],
      ['a-2', 'DISABLED'],
      ['b-1', 'ENABLED'],
    ] as const) {
      await scheduler.send(oneTime(n, q.arn, { GroupName: group, State: state }));
    }
    const first = await scheduler.send(
      new ListSchedulesCommand({ GroupName: group, NamePrefix: 'a-', MaxResults: 1 }),
    );
    expect(first.Schedules!.map((s) => s.Name)).toEqual(['a-1']);
    expect(first.Schedules![0]).toMatchObject({
      GroupName: group,
      State: 'ENABLED',
      Target: { Arn: q.arn },
    });
    const second = await scheduler.send(
      new ListSchedulesCommand({
        GroupName: group,
        NamePrefix: 'a-',
        MaxResults: 1,
        NextToken: first.NextToken,
      }),
    );
    expect(second.Schedules!.map((s) => s.Name)).toEqual(['a-2']);
    expect(second.NextToken).toBeUndefined();
    const enabled = await scheduler.send(
      new ListSchedulesCommand({ GroupName: group, State: 'ENABLED' }),
    );
    expect(enabled.Schedules!.map((s) => s.Name)).toEqual(['a-1', 'b-1']);
  });

  it('a name taken in the group is a ConflictException, unless the ClientToken repeats', async () => {
    const q = await queue('conflict');
    const name = c.name('conflict');
    const first = await scheduler.send(oneTime(name, q.arn, { ClientToken: 'token-1' }));
    const again = await scheduler.send(oneTime(name, q.arn, { ClientToken: 'token-1' }));
    expect(again.ScheduleArn).toBe(first.ScheduleArn);
    const conflict = await failure(scheduler.send(oneTime(name, q.arn)));
    expect(conflict).toMatchObject({ name: 'ConflictException', status: 409 });
    expect(conflict.message).toContain(name);
  });

  it('a deleted schedule is a ResourceNotFoundException, deleting it again too', async () => {
    const q = await queue('delete');
    const name = c.name('delete');
    await scheduler.send(oneTime(name, q.arn));
    await scheduler.send(new DeleteScheduleCommand({ Name: name }));
    const get = await failure(scheduler.send(new GetScheduleCommand({ Name: name })));
    expect(get).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
    const again = await failure(scheduler.send(new DeleteScheduleCommand({ Name: name })));
    expect(again).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
    const noGroup = await failure(
      scheduler.send(oneTime(c.name('orphan'), q.arn, { GroupName: 'no-such-group' })),
    );
    expect(noGroup).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Schedule group no-such-group does not exist.',
    });
  });
});

describe('validation', () => {
  const target = { Arn: 'arn:aws:sqs:us-east-1:000000000000:any', RoleArn: ROLE };
  const cases: [string, Partial<CreateScheduleCommandInput>, RegExp][] = [
    [
      'a name outside the pattern',
      { Name: 'has space' },
      /Value 'has space' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern/,
    ],
    [
      'a name over 64 characters',
      { Name: 'n'.repeat(65) },
      /at 'name' failed to satisfy constraint: Member must have length less than or equal to 64/,
    ],
    [
      'rate with a plural unit for 1',
      { ScheduleExpression: 'rate(1 minutes)' },
      /Invalid Schedule Expression rate\(1 minutes\)/,
    ],
    [
      'an unknown form',
      { ScheduleExpression: 'every(5 minutes)' },
      /Invalid Schedule Expression every\(5 minutes\)\. Use at\(/,
    ],
    [
      'cron with both day fields',
      { ScheduleExpression: 'cron(0 12 1 * MON *)' },
      /exactly one of day-of-month and day-of-week must be '\?'/,
    ],
    [
      'cron with five fields',
      { ScheduleExpression: 'cron(0 12 * * ?)' },
      /a cron expression has 6 fields/,
    ],
    [
      'an unknown time zone',
      { ScheduleExpressionTimezone: 'Mars/Olympus' },
      /Invalid ScheduleExpressionTimezone Mars\/Olympus/,
    ],
    [
      'a flexible window without its size',
      { FlexibleTimeWindow: { Mode: 'FLEXIBLE' } },
      /MaximumWindowInMinutes is required/,
    ],
    [
      'a retry policy out of range',
      { Target: { ...target, RetryPolicy: { MaximumRetryAttempts: 186 } } },
      /at 'target.retryPolicy.maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 185/,
    ],
    [
      'an end date before the start date',
      {
        ScheduleExpression: 'rate(1 hour)',
        StartDate: new Date(START + 2 * MINUTE),
        EndDate: new Date(START + MINUTE),
      },
      /StartDate you specify must come before the EndDate/,
    ],
  ];
  it.each(cases)('refuses %s with a ValidationException', async (_what, overrides, message) => {
    const got = await failure(
      scheduler.send(
        new CreateScheduleCommand({
          Name: c.name('invalid'),
          ScheduleExpression: 'rate(5 minutes)',
          FlexibleTimeWindow: { Mode: 'OFF' },
          Target: target,
          ...overrides,
        }),
      ),
    );
    expect(got).toMatchObject({ name: 'ValidationException', status: 400 });
    expect(got.message).toMatch(message);
  });
});

describe('firing', () => {
  it('an at() schedule sends its Input to the queue at its time, then deletes itself (DELETE)', async () => {
    const q = await queue('at');
    const name = c.name('at');
    await scheduler.send(oneTime(name, q.arn, { ActionAfterCompletion: 'DELETE' }));
    await clock.advance(5 * MINUTE - 1_000);
    expect(await receive(q.url)).toEqual([]);
    await clock.advance(1_000);
    const got = await receive(q.url);
    expect(got.map((m) => m.Body)).toEqual([JSON.stringify({ name })]);
    const gone = await failure(scheduler.send(new GetScheduleCommand({ Name: name })));
    expect(gone.name).toBe('ResourceNotFoundException');
  });

  it('with ActionAfterCompletion NONE the fired schedule stays, and does not fire again', async () => {
    const q = await queue('at-none');
    const name = c.name('at-none');
    await scheduler.send(oneTime(name, q.arn));
    await clock.advance(5 * MINUTE);
    expect(await receive(q.url)).toHaveLength(1);
    await clock.advance(60 * MINUTE);
    expect(await receive(q.url)).toEqual([]);
    expect((await scheduler.send(new GetScheduleCommand({ Name: name }))).Name).toBe(name);
  });

  it('reads at() in ScheduleExpressionTimezone', async () => {
    const q = await queue('zone');
    // New York is UTC-5 on 2 March 2026 (EST): its wall clock reads 5 hours behind UTC.
    const nextHour = new Date(Math.ceil(clock.now() / (60 * MINUTE)) * 60 * MINUTE);
    expect(nextHour.toISOString().slice(0, 10)).toBe('2026-03-02');
    const newYork = String(nextHour.getUTCHours() - 5).padStart(2, '0');
    await scheduler.send(
      oneTime(c.name('zone'), q.arn, {
        ScheduleExpression: `at(2026-03-02T${newYork}:00:00)`,
        ScheduleExpressionTimezone: 'America/New_York',
      }),
    );
    await clock.advanceTo(nextHour.getTime() - 1_000);
    expect(await receive(q.url)).toEqual([]);
    await clock.advanceTo(nextHour);
    expect(await receive(q.url)).toHaveLength(1);
  });

  it('an at() already past fires at once', async () => {
    const q = await queue('past');
    await scheduler.send(
      oneTime(c.name('past'), q.arn, { ScheduleExpression: atIn(-10 * MINUTE) }),
    );
    await clock.advance(0);
    expect(await receive(q.url)).toHaveLength(1);
  });

  it('a Lambda target is invoked with the Input as its event', async () => {
    const seen: ScheduledInvocation[] = [];
    const unregister = c.cloud.scheduler.registerTargetDeliverer('arn:aws:lambda:', (inv) => {
      seen.push(inv);
    });
    try {
      const fn = 'arn:aws:lambda:us-east-1:000000000000:function:on-deadline';
      const name = c.name('lambda');
      const created = await scheduler.send(oneTime(name, fn));
      await clock.advance(5 * MINUTE);
      expect(seen).toHaveLength(1);
      expect(JSON.parse(seen[0]!.body)).toEqual({ name });
      expect(seen[0]).toMatchObject({ target: { Arn: fn }, scheduleArn: created.ScheduleArn });
    } finally {
      unregister();
    }
  });

  it('a Lambda target needs JSON Input', async () => {
    const got = await failure(
      scheduler.send(
        oneTime(c.name('lambda-text'), 'arn:aws:lambda:us-east-1:000000000000:function:f', {
          Target: {
            Arn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
            RoleArn: ROLE,
            Input: 'not json',
          },
        }),
      ),
    );
    expect(got).toMatchObject({ name: 'ValidationException' });
  });

  it('retries a failing target, then dead-letters it with the attributes Scheduler sets', async () => {
    const dlq = await queue('dlq');
    const missing = 'arn:aws:sqs:us-east-1:000000000000:no-such-queue';
    const name = c.name('retry');
    const due = clock.now() + 5 * MINUTE;
    const created = await scheduler.send(
      oneTime(name, missing, {
        Target: {
          Arn: missing,
          RoleArn: ROLE,
          Input: '{"deadline":true}',
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3_600 },
          DeadLetterConfig: { Arn: dlq.arn },
        },
      }),
    );
    await clock.advance(5 * MINUTE);
    expect(await receive(dlq.url)).toEqual([]); // retries pending
    await clock.advance(10 * MINUTE);
    const [dead, ...more] = await receive(dlq.url);
    expect(more).toEqual([]);
    expect(dead!.Body).toBe('{"deadline":true}');
    const attrs = Object.fromEntries(
      Object.entries(dead!.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue]),
    );
    expect(attrs).toMatchObject({
      ERROR_CODE: 'QueueDoesNotExist',
      EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts',
      RETRY_ATTEMPTS: '2',
      IS_PAYLOAD_TRUNCATED: 'false',
      SCHEDULE_ARN: created.ScheduleArn,
      TARGET_ARN: missing,
      SCHEDULED_TIME: new Date(due).toISOString(),
    });
    expect(attrs['ERROR_MESSAGE']).toContain('does not exist');
    expect(attrs['EXECUTION_ID']).toMatch(/^[0-9a-f-]{36}$/);
    const counted = c.cloud.context.recorder.metrics().calls['Scheduler.targets'] ?? {};
    expect(counted['InvocationsSentToDeadLetterCount']).toBeGreaterThanOrEqual(1);
    expect(counted['InvocationAttemptCount']).toBeGreaterThanOrEqual(3);
  });

  it('stops retrying when the event is older than MaximumEventAgeInSeconds', async () => {
    const dlq = await queue('dlq-age');
    const missing = 'arn:aws:sqs:us-east-1:000000000000:still-missing';
    await scheduler.send(
      oneTime(c.name('age'), missing, {
        Target: {
          Arn: missing,
          RoleArn: ROLE,
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 60 },
          DeadLetterConfig: { Arn: dlq.arn },
        },
      }),
    );
    await clock.advance(20 * MINUTE);
    const [dead] = await receive(dlq.url);
    expect(dead!.MessageAttributes!['EXHAUSTED_RETRY_CONDITION']!.StringValue).toBe(
      'MaximumEventAgeInSeconds',
    );
    expect(dead!.Body).toBe('{}'); // no Input: the default
  });

  it('a flexible time window fires at a drawn point within it', async () => {
    const q = await queue('flexible');
    draw = 0.5;
    await scheduler.send(
      oneTime(c.name('flexible'), q.arn, {
        FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 10 },
      }),
    );
    await clock.advance(5 * MINUTE + 5 * MINUTE - 1_000);
    expect(await receive(q.url)).toEqual([]);
    await clock.advance(1_000);
    expect(await receive(q.url)).toHaveLength(1);
  });

  it('a cron schedule fires at each match, a DISABLED one never', async () => {
    const q = await queue('cron');
    const off = await queue('cron-off');
    const hourStart = Math.ceil(clock.now() / (60 * MINUTE)) * 60 * MINUTE;
    await scheduler.send(
      oneTime(c.name('cron'), q.arn, { ScheduleExpression: 'cron(0/30 * * * ? *)' }),
    );
    await scheduler.send(
      oneTime(c.name('cron-off'), off.arn, {
        ScheduleExpression: 'cron(0/30 * * * ? *)',
        State: 'DISABLED',
      }),
    );
    await clock.advanceTo(hourStart + 30 * MINUTE);
    expect(await receive(q.url)).toHaveLength(2);
    expect(await receive(off.url)).toEqual([]);
  });
  it('UpdateSchedule to DISABLED stops a recurring schedule; back to ENABLED it fires again', async () => {
    const q = await queue('toggle');
    const name = c.name('toggle');
    const input = (State: 'ENABLED' | 'DISABLED') =>
      new UpdateScheduleCommand({
        Name: name,
        ScheduleExpression: 'rate(10 minutes)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        State,
        Target: { Arn: q.arn, RoleArn: ROLE },
      });
    await scheduler.send(oneTime(name, q.arn, { ScheduleExpression: 'rate(10 minutes)' }));
    await clock.advance(0);
    expect(await receive(q.url)).toHaveLength(1); // a rate without StartDate starts at once
    await scheduler.send(input('DISABLED'));
    await clock.advance(30 * MINUTE);
    expect(await receive(q.url)).toEqual([]);
    await scheduler.send(input('ENABLED'));
    await clock.advance(10 * MINUTE);
    expect(await receive(q.url)).toHaveLength(2);
    await scheduler.send(new DeleteScheduleCommand({ Name: name }));
    await clock.advance(30 * MINUTE);
    expect(await receive(q.url)).toEqual([]);
  });
});

describe('schedule groups', () => {
  it('creates, tags, lists and deletes a group with its schedules', async () => {
    const group = c.name('group');
    const { ScheduleGroupArn } = await scheduler.send(
      new CreateScheduleGroupCommand({ Name: group, Tags: [{ Key: 'team', Value: 'orders' }] }),
    );
    expect(ScheduleGroupArn).toBe(
      `arn:aws:scheduler:us-east-1:000000000000:schedule-group/${group}`,
    );
    expect(await scheduler.send(new GetScheduleGroupCommand({ Name: group }))).toMatchObject({
      Arn: ScheduleGroupArn,
      Name: group,
      State: 'ACTIVE',
    });
    await scheduler.send(
      new TagResourceCommand({
        ResourceArn: ScheduleGroupArn,
        Tags: [{ Key: 'env', Value: 'local' }],
      }),
    );
    await scheduler.send(
      new UntagResourceCommand({ ResourceArn: ScheduleGroupArn, TagKeys: ['team'] }),
    );
    const tagged = await scheduler.send(
      new ListTagsForResourceCommand({ ResourceArn: ScheduleGroupArn }),
    );
    expect(tagged.Tags).toEqual([{ Key: 'env', Value: 'local' }]);
    const groups = await scheduler.send(new ListScheduleGroupsCommand({ NamePrefix: group }));
    expect(groups.ScheduleGroups!.map((g) => g.Name)).toEqual([group]);
    const dup = await failure(scheduler.send(new CreateScheduleGroupCommand({ Name: group })));
    expect(dup).toMatchObject({ name: 'ConflictException', status: 409 });

    const q = await queue('group');
    await scheduler.send(oneTime('in-group', q.arn, { GroupName: group }));
    await scheduler.send(new DeleteScheduleGroupCommand({ Name: group }));
    const gone = await failure(scheduler.send(new GetScheduleGroupCommand({ Name: group })));
    expect(gone).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
    expect(
      (await scheduler.send(new ListSchedulesCommand({ GroupName: group }))).Schedules,
    ).toEqual([]);
    await clock.advance(10 * MINUTE);
    expect(await receive(q.url)).toEqual([]);
  });

  it('the default group is always there and cannot be deleted', async () => {
    expect((await scheduler.send(new GetScheduleGroupCommand({ Name: 'default' }))).Name).toBe(
      'default',
    );
    const got = await failure(scheduler.send(new DeleteScheduleGroupCommand({ Name: 'default' })));
    expect(got).toMatchObject({ name: 'ValidationException' });
  });
});

describe('EventBridge rules with a ScheduleExpression', () => {
  it('rate(1 minute) sends a Scheduled Event to the rule target every minute', async () => {
    const q = await queue('rule');
    const rule = c.name('every-minute');
    const { RuleArn } = await c.events.send(
      new PutRuleCommand({ Name: rule, ScheduleExpression: 'rate(1 minute)' }),
    );
    await c.events.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'q', Arn: q.arn }] }));
    await clock.advance(MINUTE - 1);
    expect(await receive(q.url)).toEqual([]);
    await clock.advance(1);
    await c.cloud.events.settled();
    const [first] = await receive(q.url);
    expect(JSON.parse(first!.Body!)).toMatchObject({
      version: '0',
      source: 'aws.events',
      'detail-type': 'Scheduled Event',
      account: '000000000000',
      region: 'us-east-1',
      time: new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      resources: [RuleArn],
      detail: {},
    });
    await clock.advance(2 * MINUTE);
    await c.cloud.events.settled();
    expect(await receive(q.url)).toHaveLength(2);
  });

  it('DisableRule stops a scheduled rule; EnableRule starts it again at its next match', async () => {
    const q = await queue('rule-toggle');
    const rule = c.name('cron-rule');
    await c.events.send(
      new PutRuleCommand({ Name: rule, ScheduleExpression: 'cron(0/15 * * * ? *)' }),
    );
    await c.events.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'q', Arn: q.arn }] }));
    const quarter = Math.ceil((clock.now() + 1) / (15 * MINUTE)) * 15 * MINUTE;
    await clock.advanceTo(quarter);
    await c.cloud.events.settled();
    expect(await receive(q.url)).toHaveLength(1);
    await c.events.send(new DisableRuleCommand({ Name: rule }));
    await clock.advance(45 * MINUTE);
    await c.cloud.events.settled();
    expect(await receive(q.url)).toEqual([]);
    await c.events.send(new EnableRuleCommand({ Name: rule }));
    await clock.advance(15 * MINUTE);
    await c.cloud.events.settled();
    expect(await receive(q.url)).toHaveLength(1);
  });
});
