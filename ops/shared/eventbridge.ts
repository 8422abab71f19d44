import {
  DescribeArchiveCommand,
  DescribeEventBusCommand,
  ListArchivesCommand,
  ListEventBusesCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  type EventBridgeClient,
  type Rule,
  type Target,
} from '@aws-sdk/client-eventbridge';
import { CliError } from './cli.js';

/** The platform stack's name prefix; service stacks are `<prefix>-<Service>`. */
export const DEFAULT_STACK_PREFIX = 'Shop';

export interface BusRef {
  readonly name: string;
  readonly arn: string;
}

export interface ArchiveRef {
  readonly name: string;
  readonly arn: string;
  readonly eventSourceArn: string;
  readonly eventPattern?: string;
  readonly eventCount?: number;
  readonly sizeBytes?: number;
  readonly retentionDays?: number;
}

export interface RuleWithTargets {
  readonly name: string;
  readonly arn: string;
  readonly eventPattern: string;
  readonly state: string;
  readonly targets: readonly Target[];
}

export async function listRules(client: EventBridgeClient, busName: string): Promise<Rule[]> {
  const rules: Rule[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListRulesCommand({ EventBusName: busName, NextToken: token, Limit: 100 }),
    );
    rules.push(...(page.Rules ?? []));
    token = page.NextToken;
  } while (token);
  return rules;
}

export async function listTargets(
  client: EventBridgeClient,
  busName: string,
  ruleName: string,
): Promise<Target[]> {
  const targets: Target[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListTargetsByRuleCommand({ EventBusName: busName, Rule: ruleName, NextToken: token }),
    );
    targets.push(...(page.Targets ?? []));
    token = page.NextToken;
  } while (token);
  return targets;
}

/**
 * The bus's own subscription rules with their targets: enabled rules with an
 * event pattern, not managed by AWS (an archive's `Events-Archive-*` rule) and
 * not a replay's temporary rule (`ops-replay-*`).
 */
export async function subscriptionRules(
  client: EventBridgeClient,
  busName: string,
): Promise<RuleWithTargets[]> {
  const out: RuleWithTargets[] = [];
  for (const rule of await listRules(client, busName)) {
    if (!rule.Name || !rule.Arn || !rule.EventPattern) continue;
    if (rule.ManagedBy || rule.Name.startsWith(TEMP_RULE_PREFIX)) continue;
    if (rule.State !== undefined && rule.State !== 'ENABLED') continue;
    out.push({
      name: rule.Name,
      arn: rule.Arn,
      eventPattern: rule.EventPattern,
      state: rule.State ?? 'ENABLED',
      targets: await listTargets(client, busName, rule.Name),
    });
  }
  return out;
}

/** Names of temporary rules a replay creates; discovery skips them. */
export const TEMP_RULE_PREFIX = 'ops-replay-';

/** `inventory` -> `Shop-Inventory`; a name that already has a dash is taken as the stack's. */
export function stackNameOf(service: string, prefix = DEFAULT_STACK_PREFIX): string {
  if (service.includes('-')) return service;
  return `${prefix}-${service.charAt(0).toUpperCase()}${service.slice(1).toLowerCase()}`;
}

/** The name part of an ARN (`arn:aws:sqs:r:a:Shop-Inventory-Queue-x` -> `Shop-Inventory-Queue-x`). */
export function arnName(arn: string): string {
  const tail = arn.split(':').slice(5).join(':');
  return tail.split('/').pop() ?? tail;
}

/**
 * The stack a rule belongs to, from the names CloudFormation generates:
 * `<stack>-<logicalId>-<suffix>` for the rule and for the queue it targets.
 * Works the same in AWS and in the local cloud (which names resources the
 * same way and has no CloudFormation API to ask).
 */
export function ruleBelongsTo(rule: RuleWithTargets, stackName: string): boolean {
  const prefix = `${stackName}-`.toLowerCase();
  const names = [rule.name, ...rule.targets.map((t) => (t.Arn ? arnName(t.Arn) : ''))];
  return names.some((n) => n.toLowerCase().startsWith(prefix));
}

/** Stacks that own at least one of `rules` (for "did you mean" messages). */
export function owningStacks(rules: readonly RuleWithTargets[], prefix: string): string[] {
  const re = new RegExp(`^(${escapeRegExp(prefix)}-[A-Za-z0-9]+)-`, 'i');
  const stacks = new Set<string>();
  for (const rule of rules) {
    for (const n of [rule.name, ...rule.targets.map((t) => (t.Arn ? arnName(t.Arn) : ''))]) {
      const m = re.exec(n);
      if (m) stacks.add(m[1]!);
    }
  }
  return [...stacks].sort();
}

/** The rules on `busName` that deliver to `service`'s stack; throws naming the services found. */
export function serviceRules(
  rules: readonly RuleWithTargets[],
  service: string,
  busName: string,
  prefix = DEFAULT_STACK_PREFIX,
): RuleWithTargets[] {
  const stack = stackNameOf(service, prefix);
  const mine = rules.filter((r) => ruleBelongsTo(r, stack));
  if (mine.length === 0) {
    const found = owningStacks(rules, prefix);
    throw new CliError(
      `No rule on bus ${busName} belongs to stack ${stack} (looked for rules, or rule targets, ` +
        `named ${stack}-*). ` +
        (found.length
          ? `Stacks with rules on this bus: ${found.join(', ')}; pass --service with one of them.`
          : `No rule on this bus is named after a stack ${prefix}-*; pass --stack-prefix if yours differ.`),
    );
  }
  return mine;
}

async function listArchives(client: EventBridgeClient) {
  const archives = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListArchivesCommand({ NextToken: token, Limit: 100 }));
    archives.push(...(page.Archives ?? []));
    token = page.NextToken;
  } while (token);
  return archives;
}

async function describeArchive(client: EventBridgeClient, name: string): Promise<ArchiveRef> {
  const a = await client.send(new DescribeArchiveCommand({ ArchiveName: name }));
  return {
    name: a.ArchiveName ?? name,
    arn: a.ArchiveArn!,
    eventSourceArn: a.EventSourceArn!,
    ...(a.EventPattern !== undefined && { eventPattern: a.EventPattern }),
    ...(a.EventCount !== undefined && { eventCount: a.EventCount }),
    ...(a.SizeBytes !== undefined && { sizeBytes: a.SizeBytes }),
    ...(a.RetentionDays !== undefined && { retentionDays: a.RetentionDays }),
  };
}

async function describeBus(client: EventBridgeClient, name: string): Promise<BusRef> {
  const b = await client.send(new DescribeEventBusCommand({ Name: name }));
  return { name: b.Name ?? name, arn: b.Arn! };
}

/**
 * The bus and archive a replay uses. With --archive, its source bus; with
 * --bus, that bus's only archive (or the one named after the platform stack);
 * with neither, the only archive there is, else the archive of the one bus
 * whose name contains the prefix ("shop").
 */
export async function resolveBusAndArchive(
  client: EventBridgeClient,
  wanted: { bus?: string; archive?: string },
  prefix = DEFAULT_STACK_PREFIX,
): Promise<{ bus: BusRef; archive: ArchiveRef }> {
  if (wanted.archive !== undefined) {
    const archive = await describeArchive(client, wanted.archive);
    const bus = await describeBus(client, arnName(archive.eventSourceArn));
    if (wanted.bus !== undefined && wanted.bus !== bus.name && wanted.bus !== bus.arn) {
      throw new CliError(
        `Archive ${archive.name} archives bus ${bus.name}, not ${wanted.bus}; a replay goes back ` +
          `to its archive's own bus, so drop --bus or pick that bus's archive.`,
      );
    }
    return { bus, archive };
  }

  const archives = await listArchives(client);
  let bus: BusRef;
  if (wanted.bus !== undefined) {
    bus = await describeBus(client, wanted.bus);
  } else if (archives.length === 1) {
    bus = await describeBus(client, arnName(archives[0]!.EventSourceArn!));
  } else {
    bus = await discoverBus(client, prefix);
  }
  const onBus = archives.filter((a) => a.EventSourceArn === bus.arn);
  const platform = `${prefix}-Platform`.toLowerCase();
  const pick =
    onBus.length === 1
      ? onBus[0]
      : onBus.find((a) => a.ArchiveName?.toLowerCase().startsWith(platform));
  if (!pick?.ArchiveName) {
    throw new CliError(
      onBus.length === 0
        ? `Bus ${bus.name} has no archive, so there is nothing to replay; the platform stack creates one ` +
            `(check the deployment), or pass --archive NAME.`
        : `Bus ${bus.name} has ${onBus.length} archives (${onBus.map((a) => a.ArchiveName).join(', ')}); pass --archive NAME.`,
    );
  }
  return { bus, archive: await describeArchive(client, pick.ArchiveName) };
}

async function discoverBus(client: EventBridgeClient, prefix: string): Promise<BusRef> {
  const buses = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListEventBusesCommand({ NextToken: token, Limit: 100 }));
    buses.push(...(page.EventBuses ?? []));
    token = page.NextToken;
  } while (token);
  const candidates = buses.filter(
    (b) => b.Name !== 'default' && b.Name?.toLowerCase().includes(prefix.toLowerCase()),
  );
  if (candidates.length !== 1 || !candidates[0]!.Name || !candidates[0]!.Arn) {
    const names = buses.map((b) => b.Name).join(', ') || 'none';
    throw new CliError(
      `Cannot tell which bus to use: ${candidates.length} buses have '${prefix}' in their name ` +
        `(buses: ${names}); pass --bus NAME or --archive NAME.`,
    );
  }
  return { name: candidates[0]!.Name, arn: candidates[0]!.Arn };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
