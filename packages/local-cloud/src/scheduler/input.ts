/**
 * Scheduler's request shapes as zod schemas whose messages are the service
 * model's constraints (https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html,
 * API_Target.html, API_RetryPolicy.html, API_FlexibleTimeWindow.html), and
 * the one renderer of AWS's `N validation errors detected: Value 'x' at
 * 'member' failed to satisfy constraint: ...`.
 */
import * as z from 'zod';
import { AwsError } from '../core/errors.js';

export const validationException = (message: string) =>
  new AwsError('ValidationException', message, 400);

export function parseInput<T>(schema: z.ZodType<T>, raw: unknown): T {
  const result = schema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const violations = result.error.issues.map((issue) => {
    const value = valueAt(raw, issue.path);
    const member = issue.path.map((p) => String(p).replace(/^[A-Z]+/, (s) => s.toLowerCase()));
    return value === undefined || value === null
      ? `Value null at '${member.join('.')}' failed to satisfy constraint: Member must not be null`
      : `Value '${typeof value === 'string' ? value : JSON.stringify(value)}' at '${member.join('.')}' failed to satisfy constraint: ${issue.message}`;
  });
  const n = violations.length;
  throw validationException(
    `${n} validation error${n === 1 ? '' : 's'} detected: ${violations.join('; ')}`,
  );
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v = raw;
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function str(min: number, max: number, pattern?: RegExp) {
  let s = z
    .string({ error: 'Member must be a string' })
    .min(min, { error: `Member must have length greater than or equal to ${min}` })
    .max(max, { error: `Member must have length less than or equal to ${max}` });
  if (pattern) {
    s = s.regex(pattern, {
      error: `Member must satisfy regular expression pattern: ${pattern.source}`,
    });
  }
  return s;
}

function int(min: number, max: number) {
  return z
    .number({ error: 'Member must be a number' })
    .int({ error: 'Member must be an integer' })
    .min(min, { error: `Member must have value greater than or equal to ${min}` })
    .max(max, { error: `Member must have value less than or equal to ${max}` });
}

function oneOf<T extends string>(values: readonly [T, ...T[]]) {
  return z.enum(values, {
    error: `Member must satisfy enum value set: [${values.join(', ')}]`,
  });
}

/** Timestamps arrive as epoch seconds (REST-JSON's default format). */
const timestamp = z.number({ error: 'Member must be a timestamp in epoch seconds' });

export const NAME = /^[0-9a-zA-Z-_.]+$/;
export const scheduleName = str(1, 64, NAME);
export const groupName = str(1, 64, NAME);
export const clientToken = str(1, 64, /^[a-zA-Z0-9-_]+$/);
const SQS_ARN = /^arn:aws(-[a-z]+)?:sqs:[a-z0-9-]+:\d{12}:[a-zA-Z0-9-_]+$/;
const ROLE_ARN = /^arn:aws(-[a-z]+)?:iam::\d{12}:role\/[\w+=,.@/-]+$/;

export const tags = z
  .array(z.object({ Key: str(1, 128), Value: str(1, 256) }))
  .min(1, { error: 'Member must have length greater than or equal to 1' })
  .max(200, { error: 'Member must have length less than or equal to 200' });

const target = z.object({
  Arn: str(1, 1600),
  RoleArn: str(1, 1600, ROLE_ARN),
  Input: str(1, 8192).optional(),
  RetryPolicy: z
    .object({
      MaximumEventAgeInSeconds: int(60, 86_400).optional(),
      MaximumRetryAttempts: int(0, 185).optional(),
    })
    .optional(),
  DeadLetterConfig: z.object({ Arn: str(1, 1600, SQS_ARN).optional() }).optional(),
  SqsParameters: z.object({ MessageGroupId: str(1, 128).optional() }).optional(),
  // Other templated targets are stored and answered, never invoked here.
  EcsParameters: z.record(z.string(), z.unknown()).optional(),
  EventBridgeParameters: z.record(z.string(), z.unknown()).optional(),
  KinesisParameters: z.record(z.string(), z.unknown()).optional(),
  SageMakerPipelineParameters: z.record(z.string(), z.unknown()).optional(),
});

/** The body of CreateSchedule and UpdateSchedule (Name comes from the path). */
export const scheduleBody = z.object({
  Name: scheduleName,
  GroupName: groupName.optional(),
  ScheduleExpression: str(1, 256),
  ScheduleExpressionTimezone: str(1, 50).optional(),
  StartDate: timestamp.optional(),
  EndDate: timestamp.optional(),
  Description: str(0, 512).optional(),
  State: oneOf(['ENABLED', 'DISABLED']).optional(),
  KmsKeyArn: str(1, 2048).optional(),
  ClientToken: clientToken.optional(),
  ActionAfterCompletion: oneOf(['NONE', 'DELETE']).optional(),
  FlexibleTimeWindow: z.object({
    Mode: oneOf(['OFF', 'FLEXIBLE']),
    MaximumWindowInMinutes: int(1, 1440).optional(),
  }),
  Target: target,
});

export type ScheduleBody = z.infer<typeof scheduleBody>;
export type TargetInput = ScheduleBody['Target'];
