import { systemClock, type Clock } from '../core/clock.js';
import { AwsError } from '../core/errors.js';
import type { CloudContext, JsonService, SqsSink } from '../core/types.js';
import type { FaultInjector } from '../faults/plan.js';
import type { EventsHost } from './actions/action.js';
import { BUS_ACTIONS, EVENTS_ACTIONS } from './actions/index.js';
import { Archives } from './archives.js';
import { Buses } from './buses.js';
import {
  DEFAULT_RETRY,
  Deliveries,
  type FailedInvocation,
  type RetryOptions,
  type TargetDeliverer,
} from './delivery.js';
import { buildEvent } from './entries.js';
import { Arns, busNameOf, isEnabled, type Bus, type BusEvent, type Rule } from './model.js';
import { matchPattern } from './pattern.js';
import { Replays } from './replays.js';
import { ScheduleRules } from './schedule-rules.js';
import { parseInput } from './input.js';
import { renderTargetInput, TemplateRefused } from './transform.js';
import type { Input } from './validate.js';

export type {
  DeliveryRequest,
  FailedInvocation,
  RetryOptions,
  TargetDeliverer,
} from './delivery.js';

export interface EventBridgeOptions {
  /** Local bound on target retries (AWS: up to 185 over 24 hours). */
  retry?: Partial<RetryOptions>;
  /** Pause between replayed events, to watch or cancel a replay mid-way. Default 0. */
  replayEventIntervalMs?: number;
  /** Per archive; the oldest events are dropped beyond it (AWS has no such limit). Default 200 000. */
  maxArchivedEvents?: number;
  /** Clock, for tests. */
  now?: () => number;
  /** Fault injection (local/faults): throttled PutEvents entries, duplicated and delayed deliveries. */
  faults?: FaultInjector;
  /**
   * Report what AWS silently accepts: PutEvents to a bus that does not exist
   * fails its entry with ResourceNotFoundException instead of being accepted
   * and dropped. Default: LOCAL_CLOUD_STRICT=1, else off (as AWS).
   */
  strict?: boolean;
  /** The clock rules with a ScheduleExpression fire by; default the machine's. */
  clock?: Clock;
}

/** An event published by another local service (it may use an `aws.` source). */
export interface InternalEvent {
  eventBusName?: string;
  source: string;
  detailType: string;
  detail: Record<string, unknown>;
  resources?: string[];
  time?: Date;
}

export interface EventBridgeService extends JsonService {
  /**
   * Delivers targets whose ARN starts with `arnPrefix` (e.g. `arn:aws:lambda:`)
   * through `deliver`; without one such targets are stored but not delivered.
   * Returns a function that unregisters it.
   */
  registerTargetDeliverer(arnPrefix: string, deliver: TargetDeliverer): () => void;
  /** Puts an event on a bus from inside the local cloud; returns its id. */
  publish(event: InternalEvent): string;
  /** Resolves when every delivery and replay started so far has finished. */
  settled(): Promise<void>;
  /** Deliveries that failed after their retries (newest last, at most 1000). */
  failedInvocations(): FailedInvocation[];
  stop(): Promise<void>;
}

const MAX_BUS_HOPS = 16;

/** The EventBridge API (JSON 1.1, `X-Amz-Target: AWSEvents.<Action>`) of the local cloud. */
export function createEventBridge(
  ctx: CloudContext,
  sqs: SqsSink,
  options: EventBridgeOptions = {},
): EventBridgeService {
  const now = options.now ?? Date.now;
  const arns = new Arns(ctx);
  const buses = new Buses(arns, ctx.accountId, now);
  const archives = new Archives(arns, (name) => buses.has(name), now, options.maxArchivedEvents);
  const faults = options.faults;
  const deliveries = new Deliveries(
    sqs,
    ctx.recorder,
    { ...DEFAULT_RETRY, ...options.retry },
    faults,
  );
  const hops = new WeakMap<BusEvent, number>();
  const strict = options.strict ?? process.env['LOCAL_CLOUD_STRICT'] === '1';

  /** Matches, records, archives and delivers one event on one bus. */
  function dispatch(
    bus: Bus,
    event: BusEvent,
    ingestionTime: number,
    replay?: { filterArns?: readonly string[] },
  ): void {
    const matched: Rule[] = [];
    for (const rule of bus.rules.values()) {
      if (!isEnabled(rule) || rule.pattern === undefined) continue;
      if (replay?.filterArns && !replay.filterArns.includes(rule.arn)) continue;
      if (safeMatch(rule, event)) matched.push(rule);
    }
    try {
      ctx.recorder.recordEvent({
        receivedAt: new Date(ingestionTime).toISOString(),
        eventBusName: bus.name,
        event,
        matchedRules: matched.map((rule) => rule.name),
      });
    } catch {
      // The log is for observation; a failing recorder must not lose the event.
    }
    // Replayed events are not archived again: AWS's archive rule excludes any `replay-name`.
    if (!replay && !('replay-name' in event)) archives.record(bus.name, event, ingestionTime);
    for (const rule of matched) deliverToTargets(rule, event, ingestionTime);
  }

  /** Renders each target's input and starts its delivery. */
  function deliverToTargets(rule: Rule, event: BusEvent, ingestionTime: number): void {
    const ingestion = new Date(ingestionTime).toISOString();
    for (const target of rule.targets.values()) {
      const request = {
        target,
        rule: { name: rule.name, arn: rule.arn, busName: rule.busName },
        event,
        body: '',
      };
      try {
        request.body = renderTargetInput(target, event, {
          ruleName: rule.name,
          ruleArn: rule.arn,
          ingestionTime: ingestion,
        });
      } catch (error) {
        if (error instanceof TemplateRefused) {
          deliveries.refuse(request, error);
          continue;
        }
        request.body = JSON.stringify(event);
      }
      deliveries.deliver(request);
    }
  }

  // Scheduled events go straight to the rule's targets, not through the bus.
  const scheduleRules = new ScheduleRules({
    clock: options.clock ?? systemClock,
    rules: () => buses.get('default')?.rules.values() ?? [],
    scheduledEvent: (rule, at) =>
      buildEvent(
        {
          Source: 'aws.events',
          DetailType: 'Scheduled Event',
          Detail: '{}',
          Resources: [rule.arn],
          Time: at / 1000,
        },
        ctx,
        at,
      ),
    deliver: (rule, event) => deliverToTargets(rule, event, (options.clock ?? systemClock).now()),
  });
  const RULE_CHANGES = new Set(['PutRule', 'DeleteRule', 'EnableRule', 'DisableRule']);

  // A rule may target another bus of this account and region.
  deliveries.register(`${arns.bus('')}`, ({ target, event }) => {
    const bus = buses.get(busNameOf(target.Arn));
    if (!bus)
      throw new AwsError('ResourceNotFoundException', `Event bus ${target.Arn} does not exist.`);
    const depth = (hops.get(event) ?? 0) + 1;
    if (depth > MAX_BUS_HOPS) {
      throw new AwsError(
        'LoopDetected',
        `Event ${String(event['id'])} went through ${MAX_BUS_HOPS} buses; check the rules for a loop.`,
      );
    }
    const forwarded = { ...event };
    hops.set(forwarded, depth);
    dispatch(bus, forwarded, now());
  });

  const replays = new Replays(
    arns,
    archives,
    (name) => buses.has(name),
    (busName, event, opts) => {
      const bus = buses.get(busName);
      if (bus) dispatch(bus, event, now(), opts);
    },
    { eventIntervalMs: options.replayEventIntervalMs ?? 0 },
    now,
  );

  const host: EventsHost = {
    ctx,
    buses,
    archives,
    replays,
    now,
    strict,
    faults,
    dispatch: (bus, event, at) => dispatch(bus, event, at),
  };

  const actions: Record<string, (input: Input) => unknown> = {
    ...Object.fromEntries(
      Object.entries(BUS_ACTIONS).map(([name, action]) => [
        name,
        (i: Input) => action.run(buses, parseInput(action.input, i)),
      ]),
    ),
    ...Object.fromEntries(
      Object.entries(EVENTS_ACTIONS).map(([name, action]) => [
        name,
        (i: Input) => action.run(host, parseInput(action.input, i)),
      ]),
    ),
  };

  async function settled(): Promise<void> {
    // Replays start deliveries (never the reverse), so replays first.
    await replays.settled();
    await deliveries.settled();
  }

  return {
    targetPrefix: 'AWSEvents',
    async handle(action: string, input: Record<string, unknown>): Promise<unknown> {
      const run = actions[action];
      if (!run) {
        throw new AwsError(
          'UnknownOperationException',
          `The local EventBridge does not implement ${action}. Implemented: ${Object.keys(actions).join(', ')}.`,
        );
      }
      const result = run(input ?? {});
      if (RULE_CHANGES.has(action)) scheduleRules.sync();
      return result;
    },
    registerTargetDeliverer: (prefix, deliver) => deliveries.register(prefix, deliver),
    publish(event: InternalEvent): string {
      const bus = buses.resolve(event.eventBusName);
      const at = now();
      const built = buildEvent(
        {
          Source: event.source,
          DetailType: event.detailType,
          Detail: JSON.stringify(event.detail),
          ...(event.resources && { Resources: event.resources }),
          ...(event.time && { Time: event.time.getTime() / 1000 }),
        },
        ctx,
        at,
      );
      dispatch(bus, built, at);
      return built['id'] as string;
    },
    settled,
    failedInvocations: () => deliveries.failures(),
    async stop(): Promise<void> {
      scheduleRules.stop();
      await replays.stop();
      await deliveries.stop();
    },
  };
}

function safeMatch(rule: Rule, event: BusEvent): boolean {
  try {
    return rule.pattern !== undefined && matchPattern(rule.pattern, event);
  } catch {
    return false;
  }
}
