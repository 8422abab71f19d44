/**
 * AWS::Scheduler::ScheduleGroup and AWS::Scheduler::Schedule, created on the
 * edge's Scheduler. `Ref` is the name for both; `Fn::GetAtt` answers Arn (and
 * a group's CreationDate, LastModificationDate and State), as CloudFormation does:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-scheduler-schedulegroup.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-scheduler-schedule.html
 */
import {
  CreateScheduleCommand,
  CreateScheduleGroupCommand,
  GetScheduleGroupCommand,
  SchedulerClient,
  type Target,
} from '@aws-sdk/client-scheduler';
import { prop, required, type ResourceContext, type ResourceHandler } from './types.js';

function client(ctx: ResourceContext): SchedulerClient {
  return new SchedulerClient({
    endpoint: ctx.env.endpoint,
    region: ctx.env.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

async function using<T>(ctx: ResourceContext, run: (c: SchedulerClient) => Promise<T>): Promise<T> {
  const c = client(ctx);
  try {
    return await run(c);
  } finally {
    c.destroy();
  }
}

export const scheduleGroup: ResourceHandler = (ctx) =>
  using(ctx, async (scheduler) => {
    const name = prop(ctx, 'Name', 'string') ?? ctx.generateName();
    const tags = ctx.properties['Tags'] as { Key: string; Value: string }[] | undefined;
    await scheduler.send(
      new CreateScheduleGroupCommand({ Name: name, ...(tags?.length ? { Tags: tags } : {}) }),
    );
    const got = await scheduler.send(new GetScheduleGroupCommand({ Name: name }));
    return {
      physicalId: name,
      attributes: {
        Arn: got.Arn,
        CreationDate: got.CreationDate?.toISOString(),
        LastModificationDate: got.LastModificationDate?.toISOString(),
        State: got.State,
      },
    };
  });

/** CloudFormation gives dates as ISO strings; the API takes them as timestamps. */
function date(ctx: ResourceContext, name: string): Date | undefined {
  const v = prop(ctx, name, 'string');
  if (v === undefined) return undefined;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) {
    throw new Error(`${ctx.where} (${ctx.type}): ${name} should be an ISO date, got ${v}`);
  }
  return d;
}

/** A template's Input may be an object; the API takes a string. */
function target(t: Record<string, unknown>): Target {
  const input = t['Input'];
  return {
    ...(t as unknown as Target),
    ...(input !== undefined && {
      Input: typeof input === 'string' ? input : JSON.stringify(input),
    }),
  };
}

export const schedule: ResourceHandler = (ctx) =>
  using(ctx, async (scheduler) => {
    const name = prop(ctx, 'Name', 'string') ?? ctx.generateName();
    const groupName = prop(ctx, 'GroupName', 'string');
    const window = required(
      ctx,
      'FlexibleTimeWindow',
      prop(ctx, 'FlexibleTimeWindow', 'object'),
    ) as { Mode: 'OFF' | 'FLEXIBLE'; MaximumWindowInMinutes?: number };
    const { ScheduleArn } = await scheduler.send(
      new CreateScheduleCommand({
        Name: name,
        ...(groupName !== undefined && { GroupName: groupName }),
        ScheduleExpression: required(
          ctx,
          'ScheduleExpression',
          prop(ctx, 'ScheduleExpression', 'string'),
        ),
        ScheduleExpressionTimezone: prop(ctx, 'ScheduleExpressionTimezone', 'string'),
        StartDate: date(ctx, 'StartDate'),
        EndDate: date(ctx, 'EndDate'),
        Description: prop(ctx, 'Description', 'string'),
        State: prop(ctx, 'State', 'string') as 'ENABLED' | 'DISABLED' | undefined,
        KmsKeyArn: prop(ctx, 'KmsKeyArn', 'string'),
        FlexibleTimeWindow: {
          Mode: window.Mode,
          ...(window.MaximumWindowInMinutes !== undefined && {
            MaximumWindowInMinutes: Number(window.MaximumWindowInMinutes),
          }),
        },
        Target: target(required(ctx, 'Target', prop(ctx, 'Target', 'object'))),
      }),
    );
    return { physicalId: name, attributes: { Arn: ScheduleArn } };
  });
