import type { CloudContext } from '../core/types.js';
import type { EventPattern } from './pattern.js';

/** An event as EventBridge delivers it to targets. */
export type BusEvent = Record<string, unknown>;

/** A target exactly as PutTargets received it; ListTargetsByRule echoes it back. */
export interface StoredTarget extends Record<string, unknown> {
  Id: string;
  Arn: string;
}

export type RuleState = 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
export const RULE_STATES: readonly RuleState[] = [
  'ENABLED',
  'DISABLED',
  'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
];

export interface Rule {
  name: string;
  arn: string;
  busName: string;
  eventPattern?: string;
  pattern?: EventPattern;
  scheduleExpression?: string;
  state: RuleState;
  description?: string;
  roleArn?: string;
  targets: Map<string, StoredTarget>;
}

export interface Bus {
  name: string;
  arn: string;
  description?: string;
  creationTime: number;
  lastModifiedTime: number;
  policy?: { Version: string; Statement: Record<string, unknown>[] };
  rules: Map<string, Rule>;
}

export interface ArchivedEvent {
  ingestionTime: number;
  event: BusEvent;
  size: number;
}

export interface Archive {
  name: string;
  arn: string;
  eventSourceArn: string;
  busName: string;
  description?: string;
  eventPattern?: string;
  pattern?: EventPattern;
  /** 0 keeps events forever, as in AWS. */
  retentionDays: number;
  state: 'ENABLED';
  creationTime: number;
  events: ArchivedEvent[];
}

export type ReplayState =
  'STARTING' | 'RUNNING' | 'CANCELLING' | 'COMPLETED' | 'CANCELLED' | 'FAILED';
export const REPLAY_STATES: readonly ReplayState[] = [
  'CANCELLED',
  'CANCELLING',
  'COMPLETED',
  'FAILED',
  'RUNNING',
  'STARTING',
];

export interface Replay {
  name: string;
  arn: string;
  description?: string;
  eventSourceArn: string;
  destination: { Arn: string; FilterArns?: string[] };
  eventStartTime: number;
  eventEndTime: number;
  state: ReplayState;
  stateReason?: string;
  replayStartTime: number;
  replayEndTime?: number;
  eventLastReplayedTime?: number;
}

/** ARNs in the local account and region, spelled as AWS spells them. */
export class Arns {
  constructor(private readonly ctx: Pick<CloudContext, 'accountId' | 'region'>) {}

  private prefix(): string {
    return `arn:aws:events:${this.ctx.region}:${this.ctx.accountId}`;
  }

  bus(name: string): string {
    return `${this.prefix()}:event-bus/${name}`;
  }

  /** Rules on the default bus have no bus segment; rules on custom buses do. */
  rule(busName: string, ruleName: string): string {
    return busName === 'default'
      ? `${this.prefix()}:rule/${ruleName}`
      : `${this.prefix()}:rule/${busName}/${ruleName}`;
  }

  archive(name: string): string {
    return `${this.prefix()}:archive/${name}`;
  }

  replay(name: string): string {
    return `${this.prefix()}:replay/${name}`;
  }
}

const BUS_ARN = /^arn:aws[\w-]*:events:[a-z0-9-]+:\d{12}:event-bus\/(.+)$/;

/** `EventBusName` members accept a name or an ARN; both resolve to the name. */
export function busNameOf(nameOrArn: string | undefined): string {
  if (nameOrArn === undefined || nameOrArn === '') return 'default';
  const match = BUS_ARN.exec(nameOrArn);
  return match?.[1] ?? nameOrArn;
}

export function isBusArn(arn: string): boolean {
  return BUS_ARN.test(arn);
}

/** EventBridge counts a rule as matching events in either enabled state. */
export function isEnabled(rule: Rule): boolean {
  return rule.state !== 'DISABLED';
}
