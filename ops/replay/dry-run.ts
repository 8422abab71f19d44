import { TestEventPatternCommand } from '@aws-sdk/client-eventbridge';
import type { AwsTarget } from '../shared/aws.js';
import type { Io } from '../shared/cli.js';
import { mapLimit, recordedEvents } from '../shared/local.js';
import { progressBar } from '../shared/progress.js';
import type { ReplayPlan } from './plan.js';

export interface DryRunCount {
  /** False against AWS: no API lists or counts archived events by time or content. */
  readonly counted: boolean;
  /** Where the numbers come from. */
  readonly source: string;
  readonly archiveEventCount?: number;
  readonly archiveSizeBytes?: number;
  /** Archived events in the window (before any rule or pattern filter). */
  readonly inWindow?: number;
  /** Distinct events of the window that would reach at least one rule. */
  readonly delivered?: number;
  readonly perRule?: readonly { readonly rule: string; readonly events: number }[];
  readonly note: string;
}

const CONCURRENCY = 16;

/**
 * Counts what a replay would deliver. In the local cloud it reads every event
 * the bus accepted from `/_local/events`, keeps those the archive took in the
 * window (not replays), and asks TestEventPattern which ones each rule would
 * receive — the same matcher the bus uses. AWS can list neither archived events
 * nor their times: there only the archive's totals are known.
 */
export async function dryRun(target: AwsTarget, plan: ReplayPlan, io: Io): Promise<DryRunCount> {
  const totals = {
    ...(plan.archive.eventCount !== undefined && { archiveEventCount: plan.archive.eventCount }),
    ...(plan.archive.sizeBytes !== undefined && { archiveSizeBytes: plan.archive.sizeBytes }),
  };
  if (!target.local) {
    return {
      counted: false,
      source: 'DescribeArchive (totals only)',
      ...totals,
      note:
        'AWS has no API to list or count archived events by time window or pattern, so how many ' +
        'events fall in this window is known only by replaying it. The totals are for the whole ' +
        'archive, and AWS updates them with a delay (up to a day). For an estimate per rule, sum ' +
        'the CloudWatch metric MatchedEvents (namespace AWS/Events, dimension RuleName) over the ' +
        'same window.',
    };
  }

  const from = plan.from.getTime();
  const to = plan.to.getTime();
  const candidates = (await recordedEvents(target.local)).filter((r) => {
    const t = Date.parse(r.receivedAt);
    return r.eventBusName === plan.bus.name && !('replay-name' in r.event) && t >= from && t < to;
  });
  const bar = progressBar(io.stderr, 'counting');
  const patterns = [
    ...(plan.archive.eventPattern !== undefined ? [plan.archive.eventPattern] : []),
    ...plan.routes.map((r) => JSON.stringify(r.pattern)),
  ];
  let done = 0;
  const matches = await mapLimit(candidates, CONCURRENCY, async (record) => {
    const text = JSON.stringify(record.event);
    const result = await Promise.all(
      patterns.map(async (p) => {
        const { Result } = await target.events.send(
          new TestEventPatternCommand({ Event: text, EventPattern: p }),
        );
        return Result === true;
      }),
    );
    bar.update(++done, candidates.length, `${done}/${candidates.length} events`);
    return result;
  });
  bar.stop();

  const archived =
    plan.archive.eventPattern === undefined ? matches : matches.filter((m) => m[0] === true);
  const offset = plan.archive.eventPattern === undefined ? 0 : 1;
  const perRule = plan.routes.map((route, i) => ({
    rule: route.rule.name,
    events: archived.filter((m) => m[offset + i]).length,
  }));
  const delivered = archived.filter((m) => m.slice(offset).some(Boolean)).length;
  return {
    counted: true,
    source: `the local cloud's event log (${target.local.endpoint}/_local/events)`,
    ...totals,
    inWindow: archived.length,
    delivered,
    perRule,
    note:
      'Counted from every event the bus accepted in the window that the archive kept, matched ' +
      "against each rule with TestEventPattern. A rule's targets each get its events.",
  };
}
