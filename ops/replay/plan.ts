import { randomBytes } from 'node:crypto';
import type { AwsTarget } from '../shared/aws.js';
import { CliError } from '../shared/cli.js';
import {
  resolveBusAndArchive,
  serviceRules,
  stackNameOf,
  subscriptionRules,
  TEMP_RULE_PREFIX,
  type ArchiveRef,
  type BusRef,
  type RuleWithTargets,
} from '../shared/eventbridge.js';
import { intersect, isPattern, PatternConflict, type Pattern } from './pattern.js';

/** One rule that would receive replayed events. */
export interface Route {
  readonly rule: RuleWithTargets;
  /** What it would receive: the rule's pattern, AND --pattern when one is given. */
  readonly pattern: Pattern;
  /**
   * With --pattern: the temporary rule that delivers to this rule's targets
   * only replayed events of this replay matching `pattern`.
   */
  readonly temporary?: { readonly name: string; readonly pattern: Pattern };
}

export interface ReplayPlan {
  readonly replayName: string;
  readonly bus: BusRef;
  readonly archive: ArchiveRef;
  readonly from: Date;
  readonly to: Date;
  /** --to was later than now and was moved back to now. */
  readonly toClamped: boolean;
  readonly pattern?: Pattern;
  readonly stack?: string;
  readonly routes: readonly Route[];
  /** Rules in scope that no event matching --pattern could reach. */
  readonly skipped: readonly { readonly rule: string; readonly reason: string }[];
  /**
   * `all`: every rule on the bus (no FilterArns); `rules`: the routes' own
   * rules; `temporary`: the temporary rules, created just before the replay.
   */
  readonly filter: 'all' | 'rules' | 'temporary';
}

export interface PlanInput {
  readonly bus?: string;
  readonly archive?: string;
  readonly service?: string;
  readonly stackPrefix: string;
  readonly pattern?: Pattern;
  readonly from: Date;
  readonly to: Date;
  readonly name?: string;
  readonly now: number;
}

export async function planReplay(target: AwsTarget, input: PlanInput): Promise<ReplayPlan> {
  const toClamped = input.to.getTime() > input.now;
  const to = toClamped ? new Date(input.now) : input.to;
  if (input.from.getTime() >= to.getTime()) {
    throw new CliError(
      `The window is empty: --from ${input.from.toISOString()} is not before --to ${to.toISOString()}` +
        `${toClamped ? ' (--to was later than now, so now is used)' : ''}; pick a --from earlier than --to.`,
      2,
    );
  }
  const { bus, archive } = await resolveBusAndArchive(
    target.events,
    { bus: input.bus, archive: input.archive },
    input.stackPrefix,
  );
  const all = await subscriptionRules(target.events, bus.name);
  const stack =
    input.service === undefined ? undefined : stackNameOf(input.service, input.stackPrefix);
  const inScope =
    input.service === undefined
      ? all
      : serviceRules(all, input.service, bus.name, input.stackPrefix);
  const id = replayId(input.name, input.now);
  const replayName = input.name ?? `ops-${stack ?? 'all'}-${id}`.slice(0, 64);

  const base = {
    replayName,
    bus,
    archive,
    from: input.from,
    to,
    toClamped,
    ...(stack !== undefined && { stack }),
  };
  if (input.pattern === undefined) {
    return {
      ...base,
      routes: inScope.map((rule) => ({ rule, pattern: rulePattern(rule) })),
      skipped: [],
      filter: stack === undefined ? 'all' : 'rules',
    };
  }

  const routes: Route[] = [];
  const skipped: { rule: string; reason: string }[] = [];
  for (const rule of inScope) {
    let merged: Pattern | null;
    try {
      merged = intersect(input.pattern, rulePattern(rule));
    } catch (err) {
      if (!(err instanceof PatternConflict)) throw err;
      throw new CliError(
        `Cannot combine the pattern with rule ${rule.name} (${rule.eventPattern}): ${err.message} ` +
          `A replay filtered by pattern delivers through a temporary rule matching both, so ` +
          `narrow the pattern with exact values, or pass --service to leave that rule out.`,
        2,
      );
    }
    if (merged === null) {
      skipped.push({ rule: rule.name, reason: 'no event matches both it and the pattern' });
      continue;
    }
    const name = `${TEMP_RULE_PREFIX}${id}-${routes.length + 1}`.slice(0, 64);
    routes.push({
      rule,
      pattern: merged,
      // Only this replay's events: live events must not reach the queue twice.
      temporary: { name, pattern: { ...merged, 'replay-name': [replayName] } },
    });
  }
  return { ...base, pattern: input.pattern, routes, skipped, filter: 'temporary' };
}

function rulePattern(rule: RuleWithTargets): Pattern {
  const parsed: unknown = JSON.parse(rule.eventPattern);
  if (!isPattern(parsed)) {
    throw new CliError(
      `Rule ${rule.name} has an event pattern that is not an object: ${rule.eventPattern}`,
    );
  }
  return parsed;
}

/** `20240501T100000-a1b2`: sortable, unique enough, within name limits. */
function replayId(name: string | undefined, now: number): string {
  if (name !== undefined) {
    if (!/^[.\-_A-Za-z0-9]{1,64}$/.test(name)) {
      throw new CliError(
        `--name must be 1 to 64 letters, digits, dots, dashes or underscores; received '${name}'.`,
        2,
      );
    }
    return name.slice(-40);
  }
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').slice(0, 15);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}
