/** What the local Scheduler keeps: schedule groups, schedules, and their ARNs. */
import type { ScheduleExpression } from './expression.js';
import type { TargetInput } from './input.js';

export interface ScheduleGroup {
  name: string;
  arn: string;
  creationDate: number;
  lastModificationDate: number;
  tags: Map<string, string>;
}

export interface Schedule {
  name: string;
  groupName: string;
  arn: string;
  expressionText: string;
  expression: ScheduleExpression;
  /** ScheduleExpressionTimezone as given (answered back only if given). */
  timezone?: string;
  startDate?: number;
  endDate?: number;
  description?: string;
  state: 'ENABLED' | 'DISABLED';
  kmsKeyArn?: string;
  actionAfterCompletion: 'NONE' | 'DELETE';
  flexibleTimeWindow: { Mode: 'OFF' | 'FLEXIBLE'; MaximumWindowInMinutes?: number };
  target: TargetInput;
  creationDate: number;
  lastModificationDate: number;
  clientToken?: string;
}

/** Scheduler's defaults when a target has no RetryPolicy (API_RetryPolicy.html). */
export const DEFAULT_RETRY_POLICY = { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 };

export class SchedulerArns {
  constructor(private readonly ctx: { region: string; accountId: string }) {}

  private prefix(): string {
    return `arn:aws:scheduler:${this.ctx.region}:${this.ctx.accountId}`;
  }

  group(name: string): string {
    return `${this.prefix()}:schedule-group/${name}`;
  }

  schedule(groupName: string, name: string): string {
    return `${this.prefix()}:schedule/${groupName}/${name}`;
  }
}

const epochSeconds = (ms: number) => ms / 1000;

/** GetSchedule's answer (timestamps as epoch seconds, as REST-JSON sends them). */
export function scheduleView(s: Schedule): Record<string, unknown> {
  return {
    Arn: s.arn,
    Name: s.name,
    GroupName: s.groupName,
    ScheduleExpression: s.expressionText,
    ...(s.timezone !== undefined && { ScheduleExpressionTimezone: s.timezone }),
    ...(s.startDate !== undefined && { StartDate: epochSeconds(s.startDate) }),
    ...(s.endDate !== undefined && { EndDate: epochSeconds(s.endDate) }),
    ...(s.description !== undefined && { Description: s.description }),
    State: s.state,
    ...(s.kmsKeyArn !== undefined && { KmsKeyArn: s.kmsKeyArn }),
    ActionAfterCompletion: s.actionAfterCompletion,
    FlexibleTimeWindow: s.flexibleTimeWindow,
    Target: { ...s.target, RetryPolicy: { ...DEFAULT_RETRY_POLICY, ...s.target.RetryPolicy } },
    CreationDate: epochSeconds(s.creationDate),
    LastModificationDate: epochSeconds(s.lastModificationDate),
  };
}

/** An entry of ListSchedules. */
export function scheduleSummary(s: Schedule): Record<string, unknown> {
  return {
    Arn: s.arn,
    Name: s.name,
    GroupName: s.groupName,
    State: s.state,
    CreationDate: epochSeconds(s.creationDate),
    LastModificationDate: epochSeconds(s.lastModificationDate),
    Target: { Arn: s.target.Arn },
  };
}

/** GetScheduleGroup's answer and an entry of ListScheduleGroups. */
export function groupView(g: ScheduleGroup): Record<string, unknown> {
  return {
    Arn: g.arn,
    Name: g.name,
    State: 'ACTIVE',
    CreationDate: epochSeconds(g.creationDate),
    LastModificationDate: epochSeconds(g.lastModificationDate),
  };
}
