/** AWS::Events::EventBus, Rule (with its targets) and Archive, created on the edge. */
import {
  CreateArchiveCommand,
  CreateEventBusCommand,
  DescribeArchiveCommand,
  DescribeEventBusCommand,
  PutRuleCommand,
  PutTargetsCommand,
  ResourceAlreadyExistsException,
  type Target,
} from '@aws-sdk/client-eventbridge';
import { prop, required, type ResourceHandler } from './types.js';

const json = (v: unknown) =>
  v === undefined ? undefined : typeof v === 'string' ? v : JSON.stringify(v);

export const eventBus: ResourceHandler = async (ctx) => {
  const name = required(ctx, 'Name', prop(ctx, 'Name', 'string'));
  const events = ctx.env.events;
  let arn: string | undefined;
  if (name !== 'default') {
    try {
      arn = (await events.send(new CreateEventBusCommand({ Name: name }))).EventBusArn;
    } catch (e) {
      if (!(e instanceof ResourceAlreadyExistsException)) throw e;
    }
  }
  arn ??= (await events.send(new DescribeEventBusCommand({ Name: name }))).Arn;
  return { physicalId: name, attributes: { Arn: arn, Name: name } };
};

/** The template's target, as PutTargets takes it (same field names). */
function target(t: Record<string, unknown>): Target {
  const {
    Id,
    Arn,
    RoleArn,
    Input,
    InputPath,
    InputTransformer,
    SqsParameters,
    DeadLetterConfig,
    RetryPolicy,
  } = t;
  return {
    Id: Id as string,
    Arn: Arn as string,
    ...(RoleArn !== undefined ? { RoleArn: RoleArn as string } : {}),
    ...(Input !== undefined ? { Input: json(Input) } : {}),
    ...(InputPath !== undefined ? { InputPath: InputPath as string } : {}),
    ...(InputTransformer !== undefined
      ? { InputTransformer: InputTransformer as Target['InputTransformer'] }
      : {}),
    ...(SqsParameters !== undefined
      ? { SqsParameters: SqsParameters as Target['SqsParameters'] }
      : {}),
    ...(DeadLetterConfig !== undefined
      ? { DeadLetterConfig: DeadLetterConfig as Target['DeadLetterConfig'] }
      : {}),
    ...(RetryPolicy !== undefined ? { RetryPolicy: RetryPolicy as Target['RetryPolicy'] } : {}),
  };
}

export const rule: ResourceHandler = async (ctx) => {
  const name = prop(ctx, 'Name', 'string') ?? ctx.generateName();
  const bus = prop(ctx, 'EventBusName', 'string');
  const out = await ctx.env.events.send(
    new PutRuleCommand({
      Name: name,
      EventBusName: bus,
      EventPattern: json(ctx.properties['EventPattern']),
      ScheduleExpression: prop(ctx, 'ScheduleExpression', 'string'),
      State: (prop(ctx, 'State', 'string') ?? 'ENABLED') as 'ENABLED',
      Description: prop(ctx, 'Description', 'string'),
      RoleArn: prop(ctx, 'RoleArn', 'string'),
    }),
  );
  const targets = (ctx.properties['Targets'] as Record<string, unknown>[] | undefined) ?? [];
  for (let i = 0; i < targets.length; i += 10) {
    const put = await ctx.env.events.send(
      new PutTargetsCommand({
        Rule: name,
        EventBusName: bus,
        Targets: targets.slice(i, i + 10).map(target),
      }),
    );
    const failed = put.FailedEntries ?? [];
    if (failed.length)
      throw new Error(
        `${ctx.where}: targets refused: ${failed.map((f) => `${f.TargetId}: ${f.ErrorCode} ${f.ErrorMessage}`).join('; ')}`,
      );
  }
  const busName = bus?.startsWith('arn:') ? bus.split('/').pop()! : bus;
  // Ref of a rule on a custom bus is "bus|rule", as in CloudFormation.
  const ref = busName && busName !== 'default' ? `${busName}|${name}` : name;
  return { physicalId: ref, attributes: { Arn: out.RuleArn } };
};

export const archive: ResourceHandler = async (ctx) => {
  const name = prop(ctx, 'ArchiveName', 'string') ?? ctx.generateName();
  const events = ctx.env.events;
  let arn: string | undefined;
  try {
    arn = (
      await events.send(
        new CreateArchiveCommand({
          ArchiveName: name,
          EventSourceArn: required(ctx, 'SourceArn', prop(ctx, 'SourceArn', 'string')),
          EventPattern: json(ctx.properties['EventPattern']),
          Description: prop(ctx, 'Description', 'string'),
          RetentionDays: prop(ctx, 'RetentionDays', 'number'),
        }),
      )
    ).ArchiveArn;
  } catch (e) {
    if (!(e instanceof ResourceAlreadyExistsException)) throw e;
    arn = (await events.send(new DescribeArchiveCommand({ ArchiveName: name }))).ArchiveArn;
  }
  return { physicalId: name, attributes: { Arn: arn, ArchiveName: name } };
};
