/**
 * Template assertions for saga deadlines (infra/constructs/order-deadlines.ts)
 * on the orders stack, and the orderDeadline context: the schedule group, the
 * role Scheduler delivers as, what the scheduling function may do, its stream
 * mapping and the dead-letter alarms.
 */
import { App, Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseOrderDeadline } from '../../infra/shop.js';
import { OrdersStack } from '../../infra/stacks/orders-stack.js';
import {
  asArray,
  flattenJoin,
  functionOfRole,
  ofType,
  policyStatements,
  props,
  refOf,
} from './support/template.js';

function synth(orderDeadline?: Duration): Template {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return Template.fromStack(new OrdersStack(app, 'Shop-Orders', { orderDeadline }));
}

let template: Template;
beforeAll(() => {
  template = synth(Duration.seconds(10));
});

const schedulingFunction = () => {
  const fns = ofType(template, 'AWS::Lambda::Function').filter(([, fn]) =>
    Object.keys(
      (props(fn).Environment as { Variables?: Record<string, unknown> })?.Variables ?? {},
    ).includes('ORDER_DEADLINE_SECONDS'),
  );
  expect(fns).toHaveLength(1);
  return fns[0]!;
};
const idOf = (type: string, prefix: string) => {
  const found = ofType(template, type).filter(([id]) => id.startsWith(prefix));
  expect(found, prefix).toHaveLength(1);
  return found[0]![0];
};
const actions = (s: { Action: string | string[] }) => asArray(s.Action);

describe('order deadlines on the orders stack', () => {
  it('has one schedule group named after the stack', () => {
    template.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', {
      Name: 'Shop-Orders-deadlines',
    });
  });

  it('gives the scheduling function the deadline and where schedules go', () => {
    const [, fn] = schedulingFunction();
    const vars = (props(fn).Environment as { Variables: Record<string, unknown> }).Variables;
    expect(vars.ORDER_DEADLINE_SECONDS).toBe('10');
    expect(vars.DEADLINE_SCHEDULE_GROUP).toBeDefined();
    expect(JSON.stringify(vars.DEADLINE_TARGET_ARN)).toContain('SubscriptionQueue');
    expect(JSON.stringify(vars.DEADLINE_ROLE_ARN)).toContain('DeadlinesSchedulerRole');
    expect(JSON.stringify(vars.DEADLINE_DLQ_ARN)).toContain('DeadlinesDeadLetterQueue');
  });

  it('lets Scheduler (of this account only) send to the orders queue and the deadlines DLQ, nothing else', () => {
    const roleId = idOf('AWS::IAM::Role', 'DeadlinesSchedulerRole');
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ],
      },
    });
    const statements = policyStatements(template).filter(({ roles }) => roles.includes(roleId));
    expect(statements.flatMap(({ statement }) => actions(statement))).toEqual(['sqs:SendMessage']);
    const targets = asArray(statements[0]!.statement.Resource as unknown[]).map((r) =>
      JSON.stringify(r),
    );
    expect(targets).toHaveLength(2);
    expect(targets.some((t) => t.includes('SubscriptionQueue'))).toBe(true);
    expect(targets.some((t) => t.includes('DeadlinesDeadLetterQueue'))).toBe(true);
  });

  it('lets the function create and delete only order-* schedules of its group, and pass only that role to Scheduler', () => {
    const [fnId, fn] = schedulingFunction();
    const roleId = refOf(props(fn).Role)!;
    const own = policyStatements(template)
      .filter(({ roles }) => roles.includes(roleId))
      .map(({ statement }) => statement);

    const scheduler = own.filter((s) => actions(s).some((a) => a.startsWith('scheduler:')));
    expect(scheduler).toHaveLength(1);
    expect(actions(scheduler[0]!).sort()).toEqual([
      'scheduler:CreateSchedule',
      'scheduler:DeleteSchedule',
    ]);
    expect(flattenJoin(scheduler[0]!.Resource).text).toMatch(/:schedule\/.*\/order-\*$/);

    const passRole = own.filter((s) => actions(s).includes('iam:PassRole'));
    expect(passRole).toHaveLength(1);
    expect(refOf(passRole[0]!.Resource)).toBe(idOf('AWS::IAM::Role', 'DeadlinesSchedulerRole'));
    expect(passRole[0]!.Condition).toEqual({
      StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' },
    });
    expect(functionOfRole(template, roleId)).toBe(fnId);
  });

  it('reads the orders stream, filtered to the outbox rows that place or settle an order, with a DLQ', () => {
    const [fnId] = schedulingFunction();
    const mappings = ofType(template, 'AWS::Lambda::EventSourceMapping').filter(
      ([, m]) => refOf(props(m).FunctionName) === fnId,
    );
    expect(mappings).toHaveLength(1);
    const mapping = props(mappings[0]![1]);
    expect(mapping).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 10,
    });
    const patterns = (mapping.FilterCriteria as { Filters: { Pattern: string }[] }).Filters.map(
      (f) => JSON.parse(f.Pattern) as unknown,
    );
    expect(patterns).toEqual([
      {
        eventName: ['INSERT'],
        dynamodb: {
          NewImage: {
            kind: { S: ['outbox'] },
            detailType: { S: ['OrderPlaced', 'OrderConfirmed', 'OrderCancelled'] },
          },
        },
      },
    ]);
    expect(JSON.stringify(mapping.DestinationConfig)).toContain('DeadlinesStreamDeadLetterQueue');
  });

  it("tags the schedules' dead-letter queue with the queue its messages go back to", () => {
    const dlq = ofType(template, 'AWS::SQS::Queue').find(([id]) =>
      id.includes('DeadlinesDeadLetterQueue'),
    );
    const tags = (props(dlq![1]).Tags ?? []) as { Key: string; Value: unknown }[];
    const redriveTo = tags.find((t) => t.Key === 'redrive-to');
    expect(JSON.stringify(redriveTo?.Value)).toMatch(/SubscriptionQueue.*Arn/);
  });

  it('alarms on both dead-letter queues', () => {
    for (const queue of ['DeadlinesDeadLetterQueue', 'DeadlinesStreamDeadLetterQueue']) {
      const queueId = idOf('AWS::SQS::Queue', queue);
      const alarms = ofType(template, 'AWS::CloudWatch::Alarm').filter(([, a]) =>
        JSON.stringify(props(a).Dimensions).includes(queueId),
      );
      expect(alarms.length, queue).toBe(2);
    }
  });

  it('alarms when the function lags the stream by over a minute', () => {
    const [fnId] = schedulingFunction();
    const lag = ofType(template, 'AWS::CloudWatch::Alarm').filter(
      ([, a]) =>
        props(a).MetricName === 'IteratorAge' && JSON.stringify(props(a).Dimensions).includes(fnId),
    );
    expect(lag).toHaveLength(1);
    expect(props(lag[0]![1])).toMatchObject({ Threshold: 60_000, Statistic: 'Maximum' });
  });

  it('defaults to 15 minutes', () => {
    const t = synth();
    const fn = ofType(t, 'AWS::Lambda::Function').find(([, f]) =>
      JSON.stringify(props(f)).includes('ORDER_DEADLINE_SECONDS'),
    );
    expect(JSON.stringify(props(fn![1]))).toContain('"ORDER_DEADLINE_SECONDS":"900"');
  });

  it('refuses a deadline outside 5 s to 24 h, naming the construct', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    expect(
      () => new OrdersStack(app, 'Shop-Orders', { orderDeadline: Duration.seconds(2) }),
    ).toThrow(
      /OrderDeadlines Shop-Orders\/Deadlines: deadline must be from 5 seconds to 1 day, got 2 seconds/,
    );
  });
});

describe('orderDeadline context', () => {
  it.each([
    ['10s', 10],
    ['15m', 900],
    ['1h', 3600],
    ['24h', 86_400],
    ['5s', 5],
  ])('reads %s as %i seconds', (value, seconds) => {
    expect(parseOrderDeadline(value).toSeconds()).toBe(seconds);
  });

  it('defaults to 15 minutes', () => {
    expect(parseOrderDeadline(undefined).toSeconds()).toBe(900);
  });

  it.each(['10', '15 minutes', '1d', 'abc', '-5s'])(
    'refuses "%s", naming the key and the forms',
    (value) => {
      expect(() => parseOrderDeadline(value)).toThrow(
        `Context orderDeadline must be a duration like 10s, 15m or 1h, got "${value}"`,
      );
    },
  );

  it.each(['4s', '25h', '0m'])('refuses "%s" as out of range, saying the range', (value) => {
    expect(() => parseOrderDeadline(value)).toThrow(
      /Context orderDeadline is out of range, got ".*"; pass -c orderDeadline=<n>s\|<n>m\|<n>h from 5 seconds to 1 day/,
    );
  });
});
