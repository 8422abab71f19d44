import type { Arns } from './model.js';
import { busNameOf, type Bus, type Rule, type StoredTarget } from './model.js';
import { epochSeconds } from './time.js';
import { notFound, validationError } from './validate.js';

const TARGET_ARN = /^arn:[\d\w:\-/.]*$/;

/**
 * Event buses, their rules and the rules' targets, and the lookups the
 * actions share. The actions are in `actions/`, one file each.
 */
export class Buses {
  private readonly byName = new Map<string, Bus>();
  private readonly tags = new Map<string, Map<string, string>>();

  constructor(
    readonly arns: Arns,
    readonly accountId: string,
    readonly now: () => number,
  ) {
    this.add('default');
  }

  get(name: string): Bus | undefined {
    return this.byName.get(name);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The bus an `EventBusName` (name or ARN) member refers to, or ResourceNotFoundException. */
  resolve(nameOrArn: string | undefined): Bus {
    const name = busNameOf(nameOrArn);
    const bus = this.byName.get(name);
    if (!bus) throw notFound(`Event bus ${name} does not exist.`);
    return bus;
  }

  // ---- helpers ----

  add(name: string): Bus {
    const now = this.now();
    const bus: Bus = {
      name,
      arn: this.arns.bus(name),
      creationTime: now,
      lastModifiedTime: now,
      rules: new Map(),
    };
    this.byName.set(name, bus);
    return bus;
  }

  busView(bus: Bus) {
    return {
      Name: bus.name,
      Arn: bus.arn,
      ...(bus.description !== undefined && { Description: bus.description }),
      ...(bus.policy !== undefined && { Policy: JSON.stringify(bus.policy) }),
      CreationTime: epochSeconds(bus.creationTime),
      LastModifiedTime: epochSeconds(bus.lastModifiedTime),
    };
  }

  ruleView(rule: Rule) {
    return {
      Name: rule.name,
      Arn: rule.arn,
      ...(rule.eventPattern !== undefined && { EventPattern: rule.eventPattern }),
      ...(rule.scheduleExpression !== undefined && { ScheduleExpression: rule.scheduleExpression }),
      State: rule.state,
      ...(rule.description !== undefined && { Description: rule.description }),
      ...(rule.roleArn !== undefined && { RoleArn: rule.roleArn }),
      EventBusName: rule.busName,
    };
  }

  /** The rule `name` on the bus `busName` (name or ARN), or ResourceNotFoundException. */
  requireRule(name: string, busName: string | undefined): Rule {
    const bus = this.resolve(busName);
    const rule = bus.rules.get(name);
    if (!rule) throw notFound(`Rule ${name} does not exist on EventBus ${bus.name}.`);
    return rule;
  }

  /** Removes a bus or rule's tags (the resource is gone). */
  dropTags(arn: string): void {
    this.tags.delete(arn);
  }

  tagsOf(arn: string): Map<string, string> | undefined {
    return this.tags.get(arn);
  }

  delete(name: string): void {
    this.byName.delete(name);
  }

  all(): Bus[] {
    return [...this.byName.values()];
  }

  /** A bus or rule ARN of this account, or ResourceNotFoundException naming what is missing. */
  requireTaggable(arn: string): string {
    for (const bus of this.byName.values()) {
      if (bus.arn === arn) return arn;
      for (const rule of bus.rules.values()) if (rule.arn === arn) return arn;
    }
    const ruleMatch = /:rule\/(?:([^/]+)\/)?([^/]+)$/.exec(arn);
    if (ruleMatch) {
      throw notFound(
        `Rule ${ruleMatch[2]} does not exist on EventBus ${ruleMatch[1] ?? 'default'}.`,
      );
    }
    throw notFound(`Event bus ${busNameOf(arn)} does not exist.`);
  }

  setTags(arn: string, tags: unknown[] | undefined): void {
    if (!tags) return;
    const map = this.tags.get(arn) ?? new Map<string, string>();
    const seen = new Set<string>();
    for (const tag of tags) {
      const { Key, Value } = (tag ?? {}) as { Key?: unknown; Value?: unknown };
      if (typeof Key !== 'string' || typeof Value !== 'string') {
        throw validationError('Each tag needs a string Key and a string Value.');
      }
      if (seen.has(Key))
        throw validationError('Invalid parameter: Duplicated keys are not allowed.');
      seen.add(Key);
      map.set(Key, Value);
    }
    this.tags.set(arn, map);
  }
}

/** Per-target problems AWS reports in FailedEntries rather than as an error. */
export function targetProblem(target: StoredTarget): string | undefined {
  if (!TARGET_ARN.test(target.Arn)) {
    return `Parameter ${target.Arn} is not valid. Reason: Provided Arn is not in correct format.`;
  }
  if (target.Arn.startsWith('arn:aws:sqs:') && target.Arn.endsWith('.fifo')) {
    const group = (target['SqsParameters'] as { MessageGroupId?: unknown } | undefined)
      ?.MessageGroupId;
    if (typeof group !== 'string') {
      return `Parameter(s) SqsParameters must be specified for target: ${target.Id}.`;
    }
  }
  return undefined;
}
