import { AwsError } from '../core/errors.js';
import { parsePattern } from './pattern.js';
import type { Arns } from './model.js';
import {
  busNameOf,
  RULE_STATES,
  type Bus,
  type Rule,
  type RuleState,
  type StoredTarget,
} from './model.js';
import { paginate } from './paging.js';
import { epochSeconds } from './time.js';
import { validateTargetInput } from './transform.js';
import {
  alreadyExists,
  BUS_NAME_PATTERN,
  BUS_NAME_PATTERN_TEXT,
  Constraints,
  NAME_PATTERN,
  NAME_PATTERN_TEXT,
  notFound,
  optArray,
  optBoolean,
  optObject,
  optString,
  optStringList,
  validationError,
  type Input,
} from './validate.js';

const MAX_TARGETS_PER_RULE = 5;
const TARGET_ARN = /^arn:[\d\w:\-/.]*$/;
const RATE = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/;
const CRON = /^cron\((\S+\s+){5}\S+\)$/;

/** Event buses, their rules and the rules' targets (state and the API actions on it). */
export class Buses {
  private readonly byName = new Map<string, Bus>();
  private readonly tags = new Map<string, Map<string, string>>();

  constructor(
    private readonly arns: Arns,
    private readonly accountId: string,
    private readonly now: () => number,
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

  // ---- buses ----

  createBus(input: Input) {
    const name = optString(input, 'Name');
    const description = optString(input, 'Description');
    new Constraints()
      .required(name, 'name')
      .length(name, 'name', 1, 256)
      .pattern(name, 'name', BUS_NAME_PATTERN, BUS_NAME_PATTERN_TEXT)
      .length(description, 'description', 0, 512)
      .check();
    if (this.byName.has(name!)) throw alreadyExists(`Event bus ${name} already exists.`);
    if (name!.includes('/') && optString(input, 'EventSourceName') === undefined) {
      throw validationError(
        `Event bus name must not contain '/' (received '${name}'); only partner event buses use it.`,
      );
    }
    const bus = this.add(name!);
    if (description !== undefined) bus.description = description;
    this.setTags(bus.arn, optArray(input, 'Tags'));
    return { EventBusArn: bus.arn, ...(description !== undefined && { Description: description }) };
  }

  describeBus(input: Input) {
    return this.busView(this.resolve(optString(input, 'Name')));
  }

  listBuses(input: Input) {
    const prefix = optString(input, 'NamePrefix');
    const buses = [...this.byName.values()]
      .filter((bus) => prefix === undefined || bus.name.startsWith(prefix))
      .sort((a, b) => a.name.localeCompare(b.name));
    const page = paginate(buses, input);
    return {
      EventBuses: page.items.map((bus) => this.busView(bus)),
      ...(page.nextToken !== undefined && { NextToken: page.nextToken }),
    };
  }

  deleteBus(input: Input) {
    const name = optString(input, 'Name');
    new Constraints().required(name, 'name').length(name, 'name', 1, 256).check();
    if (name === 'default') throw validationError('Cannot delete event bus default.');
    const bus = this.byName.get(name!);
    if (bus) {
      // Deleting is idempotent in AWS; the bus's rules go with it.
      for (const rule of bus.rules.values()) this.tags.delete(rule.arn);
      this.tags.delete(bus.arn);
      this.byName.delete(bus.name);
    }
    return {};
  }

  putPermission(input: Input) {
    const bus = this.resolve(optString(input, 'EventBusName'));
    const policy = optString(input, 'Policy');
    if (policy !== undefined) {
      try {
        bus.policy = JSON.parse(policy) as NonNullable<Bus['policy']>;
      } catch {
        throw validationError('This policy contains invalid Json');
      }
    } else {
      const statementId = optString(input, 'StatementId');
      const principal = optString(input, 'Principal');
      const action = optString(input, 'Action');
      const condition = optObject(input, 'Condition');
      new Constraints()
        .required(statementId, 'statementId')
        .required(principal, 'principal')
        .required(action, 'action')
        .check();
      if (action !== 'events:PutEvents') {
        throw validationError("Provided value in parameter 'action' is not supported.");
      }
      const statements = (bus.policy?.Statement ?? []).filter((s) => s['Sid'] !== statementId);
      statements.push({
        Sid: statementId,
        Effect: 'Allow',
        Principal: principal === '*' ? '*' : { AWS: `arn:aws:iam::${principal}:root` },
        Action: action,
        Resource: bus.arn,
        ...(condition && {
          Condition: {
            [String(condition['Type'])]: { [String(condition['Key'])]: condition['Value'] },
          },
        }),
      });
      bus.policy = { Version: '2012-10-17', Statement: statements };
    }
    bus.lastModifiedTime = this.now();
    return {};
  }

  removePermission(input: Input) {
    const bus = this.resolve(optString(input, 'EventBusName'));
    if (optBoolean(input, 'RemoveAllPermissions') === true) {
      delete bus.policy;
      return {};
    }
    const statementId = optString(input, 'StatementId');
    if (statementId === undefined) throw validationError('Parameter StatementId is required.');
    if (!bus.policy) throw notFound('EventBus does not have a policy.');
    const remaining = bus.policy.Statement.filter((s) => s['Sid'] !== statementId);
    if (remaining.length === bus.policy.Statement.length) {
      throw notFound('Statement with the provided id does not exist.');
    }
    bus.policy = { ...bus.policy, Statement: remaining };
    return {};
  }

  // ---- rules ----

  putRule(input: Input) {
    const name = optString(input, 'Name');
    const eventPattern = optString(input, 'EventPattern');
    const schedule = optString(input, 'ScheduleExpression');
    const state = optString(input, 'State');
    const description = optString(input, 'Description');
    const roleArn = optString(input, 'RoleArn');
    ruleNameConstraints(name, 'name')
      .length(schedule, 'scheduleExpression', 0, 256)
      .length(eventPattern, 'eventPattern', 0, 4096)
      .oneOf(state, 'state', RULE_STATES)
      .length(description, 'description', 0, 512)
      .check();
    const bus = this.resolve(optString(input, 'EventBusName'));
    if (eventPattern === undefined && schedule === undefined) {
      throw validationError('Parameter(s) EventPattern or ScheduleExpression must be specified.');
    }
    if (schedule !== undefined) {
      if (bus.name !== 'default') {
        throw validationError('ScheduleExpression is supported only on the default event bus.');
      }
      if (!RATE.test(schedule) && !CRON.test(schedule)) {
        throw validationError('Parameter ScheduleExpression is not valid.');
      }
    }
    const pattern = eventPattern === undefined ? undefined : parsePattern(eventPattern);
    const existing = bus.rules.get(name!);
    // PutRule replaces the rule; only its targets survive an update.
    const rule: Rule = {
      name: name!,
      arn: this.arns.rule(bus.name, name!),
      busName: bus.name,
      state: (state as RuleState | undefined) ?? 'ENABLED',
      targets: existing?.targets ?? new Map(),
    };
    if (eventPattern !== undefined) rule.eventPattern = eventPattern;
    if (pattern !== undefined) rule.pattern = pattern;
    if (schedule !== undefined) rule.scheduleExpression = schedule;
    if (description !== undefined) rule.description = description;
    if (roleArn !== undefined) rule.roleArn = roleArn;
    bus.rules.set(rule.name, rule);
    this.setTags(rule.arn, optArray(input, 'Tags'));
    return { RuleArn: rule.arn };
  }

  describeRule(input: Input) {
    const rule = this.requireRule(input, 'Name', 'name');
    return { ...this.ruleView(rule), CreatedBy: this.accountId };
  }

  listRules(input: Input) {
    const prefix = optString(input, 'NamePrefix');
    new Constraints().length(prefix, 'namePrefix', 1, 64).check();
    const bus = this.resolve(optString(input, 'EventBusName'));
    const rules = [...bus.rules.values()]
      .filter((rule) => prefix === undefined || rule.name.startsWith(prefix))
      .sort((a, b) => a.name.localeCompare(b.name));
    const page = paginate(rules, input);
    return {
      Rules: page.items.map((rule) => this.ruleView(rule)),
      ...(page.nextToken !== undefined && { NextToken: page.nextToken }),
    };
  }

  listRuleNamesByTarget(input: Input) {
    const targetArn = optString(input, 'TargetArn');
    new Constraints()
      .required(targetArn, 'targetArn')
      .length(targetArn, 'targetArn', 1, 1600)
      .check();
    const bus = this.resolve(optString(input, 'EventBusName'));
    const names = [...bus.rules.values()]
      .filter((rule) => [...rule.targets.values()].some((t) => t.Arn === targetArn))
      .map((rule) => rule.name)
      .sort();
    const page = paginate(names, input);
    return {
      RuleNames: page.items,
      ...(page.nextToken !== undefined && { NextToken: page.nextToken }),
    };
  }

  setRuleState(input: Input, state: RuleState) {
    this.requireRule(input, 'Name', 'name').state = state;
    return {};
  }

  deleteRule(input: Input) {
    const name = optString(input, 'Name');
    ruleNameConstraints(name, 'name').check();
    const bus = this.resolve(optString(input, 'EventBusName'));
    const rule = bus.rules.get(name!);
    if (!rule) return {}; // idempotent, as in AWS
    if (rule.targets.size > 0) throw validationError("Rule can't be deleted since it has targets.");
    bus.rules.delete(rule.name);
    this.tags.delete(rule.arn);
    return {};
  }

  // ---- targets ----

  putTargets(input: Input) {
    const rule = this.requireRule(input, 'Rule', 'rule');
    const targets = optArray(input, 'Targets');
    const constraints = new Constraints().required(targets, 'targets');
    if (targets && (targets.length < 1 || targets.length > 10)) {
      constraints.fail(
        `[${targets.length} targets]`,
        'targets',
        targets.length < 1
          ? 'Member must have length greater than or equal to 1'
          : 'Member must have length less than or equal to 10',
      );
    }
    const list = (targets ?? []).map(
      (t) => (typeof t === 'object' && t !== null ? t : {}) as Input,
    );
    list.forEach((target, i) => {
      const id = typeof target['Id'] === 'string' ? target['Id'] : undefined;
      const arn = typeof target['Arn'] === 'string' ? target['Arn'] : undefined;
      constraints
        .required(id, `targets.${i + 1}.member.id`)
        .length(id, `targets.${i + 1}.member.id`, 1, 64)
        .pattern(id, `targets.${i + 1}.member.id`, NAME_PATTERN, NAME_PATTERN_TEXT)
        .required(arn, `targets.${i + 1}.member.arn`)
        .length(arn, `targets.${i + 1}.member.arn`, 1, 1600);
    });
    constraints.check();

    // Validate every target before storing any, so a rejected request changes nothing.
    const failed: { TargetId: string; ErrorCode: string; ErrorMessage: string }[] = [];
    const accepted: StoredTarget[] = [];
    list.forEach((raw, i) => {
      const target = structuredClone(raw) as StoredTarget;
      validateTargetInput(target, i);
      const problem = targetProblem(target);
      if (problem)
        failed.push({
          TargetId: target.Id,
          ErrorCode: 'ValidationException',
          ErrorMessage: problem,
        });
      else accepted.push(target);
    });
    const added = new Set(accepted.map((t) => t.Id).filter((id) => !rule.targets.has(id)));
    if (rule.targets.size + added.size > MAX_TARGETS_PER_RULE) {
      throw new AwsError(
        'LimitExceededException',
        `The requested resource exceeds the maximum number allowed (rule ${rule.name} would have ` +
          `${rule.targets.size + added.size} targets; the limit is ${MAX_TARGETS_PER_RULE}).`,
      );
    }
    for (const target of accepted) rule.targets.set(target.Id, target);
    return { FailedEntryCount: failed.length, FailedEntries: failed };
  }

  listTargets(input: Input) {
    const rule = this.requireRule(input, 'Rule', 'rule');
    const page = paginate([...rule.targets.values()], input);
    return {
      Targets: page.items,
      ...(page.nextToken !== undefined && { NextToken: page.nextToken }),
    };
  }

  removeTargets(input: Input) {
    const rule = this.requireRule(input, 'Rule', 'rule');
    const ids = optStringList(input, 'Ids');
    const constraints = new Constraints().required(ids, 'ids');
    if (ids && (ids.length < 1 || ids.length > 100)) {
      constraints.fail(
        `[${ids.join(', ')}]`,
        'ids',
        ids.length < 1
          ? 'Member must have length greater than or equal to 1'
          : 'Member must have length less than or equal to 100',
      );
    }
    constraints.check();
    const failed: { TargetId: string; ErrorCode: string; ErrorMessage: string }[] = [];
    for (const id of ids!) {
      if (!rule.targets.delete(id)) {
        failed.push({
          TargetId: id,
          ErrorCode: 'ResourceNotFoundException',
          ErrorMessage: `Rule '${rule.name}' does not have a target with the Id '${id}'.`,
        });
      }
    }
    return { FailedEntryCount: failed.length, FailedEntries: failed };
  }

  // ---- tags ----

  tagResource(input: Input) {
    const arn = this.requireTaggable(input);
    this.setTags(arn, optArray(input, 'Tags'));
    return {};
  }

  untagResource(input: Input) {
    const arn = this.requireTaggable(input);
    const keys = optStringList(input, 'TagKeys') ?? [];
    const tags = this.tags.get(arn);
    for (const key of keys) tags?.delete(key);
    return {};
  }

  listTags(input: Input) {
    const arn = this.requireTaggable(input);
    const tags = this.tags.get(arn) ?? new Map<string, string>();
    return { Tags: [...tags].map(([Key, Value]) => ({ Key, Value })) };
  }

  // ---- helpers ----

  private add(name: string): Bus {
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

  private busView(bus: Bus) {
    return {
      Name: bus.name,
      Arn: bus.arn,
      ...(bus.description !== undefined && { Description: bus.description }),
      ...(bus.policy !== undefined && { Policy: JSON.stringify(bus.policy) }),
      CreationTime: epochSeconds(bus.creationTime),
      LastModifiedTime: epochSeconds(bus.lastModifiedTime),
    };
  }

  private ruleView(rule: Rule) {
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

  private requireRule(input: Input, key: string, member: string): Rule {
    const name = optString(input, key);
    ruleNameConstraints(name, member).check();
    const bus = this.resolve(optString(input, 'EventBusName'));
    const rule = bus.rules.get(name!);
    if (!rule) throw notFound(`Rule ${name} does not exist on EventBus ${bus.name}.`);
    return rule;
  }

  private requireTaggable(input: Input): string {
    const arn = optString(input, 'ResourceARN');
    new Constraints().required(arn, 'resourceARN').length(arn, 'resourceARN', 1, 1600).check();
    for (const bus of this.byName.values()) {
      if (bus.arn === arn) return arn;
      for (const rule of bus.rules.values()) if (rule.arn === arn) return arn;
    }
    const ruleMatch = /:rule\/(?:([^/]+)\/)?([^/]+)$/.exec(arn!);
    if (ruleMatch) {
      throw notFound(
        `Rule ${ruleMatch[2]} does not exist on EventBus ${ruleMatch[1] ?? 'default'}.`,
      );
    }
    throw notFound(`Event bus ${busNameOf(arn)} does not exist.`);
  }

  private setTags(arn: string, tags: unknown[] | undefined): void {
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
function targetProblem(target: StoredTarget): string | undefined {
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

function ruleNameConstraints(name: string | undefined, member: string): Constraints {
  return new Constraints()
    .required(name, member)
    .length(name, member, 1, 64)
    .pattern(name, member, NAME_PATTERN, NAME_PATTERN_TEXT);
}
