/**
 * `npm run replay -- --from -2h [--service inventory] [--pattern JSON] [--dry-run]`:
 * replays a window of the bus's archive, optionally only events matching a
 * pattern and only to one service's rules, and follows it until it ends.
 */
import { StartReplayCommand } from '@aws-sdk/client-eventbridge';
import { explainAwsError, resolveTarget, type AwsTarget } from './shared/aws.js';
import {
  COMMON_HELP,
  COMMON_OPTIONS,
  EXIT,
  guarded,
  isEntryPoint,
  parse,
  pause,
  printJson,
  println,
  runAsScript,
  UsageError,
  type Io,
} from './shared/cli.js';
import { arnName, DEFAULT_STACK_PREFIX } from './shared/eventbridge.js';
import { plural } from './shared/text.js';
import { formatDuration, parseTime } from './shared/time.js';
import { dryRun, type DryRunCount } from './replay/dry-run.js';
import { describeOutcome, followReplay, type FollowResult } from './replay/follow.js';
import { patternFromFlags } from './replay/pattern.js';
import { planReplay, type ReplayPlan } from './replay/plan.js';
import {
  createTemporaryRules,
  removeTemporaryRules,
  type CreatedRule,
} from './replay/temporary.js';

const HELP = `Usage: npm run replay -- --from TIME [--to TIME] [filters] [--dry-run] [options]

Replays the events the bus's archive kept in a time window back onto the bus,
to every rule, or only to one service's rules, optionally only events matching
a pattern, then follows the replay until it completes.

Window:
  --from TIME          Start (inclusive): ISO time with a zone (2024-05-01T10:00:00Z),
                       relative to now (-2h, -30m, -1d12h), or 'now'. Required.
  --to TIME            End (exclusive); default now. Later than now means now.
What and to whom:
  --service NAME       Only to this service's subscription rules (inventory, or the stack
                       name Shop-Inventory); found by rule and target queue names.
  --pattern JSON       Only events matching this EventBridge event pattern.
  --source S           Only events of this source (repeatable), e.g. shop.orders.
  --detail-type T      Only events of this detail-type (repeatable), e.g. OrderPlaced.
  --archive NAME       Archive to replay from (default: the only one, or the platform stack's).
  --bus NAME           Bus (default: the archive's, or the one bus named *shop*).
  --stack-prefix P     Stack name prefix (default ${DEFAULT_STACK_PREFIX}).
  --name NAME          Replay name (default ops-<scope>-<time>-<random>).
  --dry-run            Count what would be replayed; replay nothing. (AWS cannot count
                       events by window: it prints the archive's totals and says so.)

A pattern is applied through temporary rules (ops-replay-*) that match the pattern,
the service's rule and this replay's name, deliver to the same targets, and are
removed afterwards with the queue-policy statements added for them.

${COMMON_HELP}

Examples:
  npm run replay -- --from -2h --dry-run --endpoint-url http://127.0.0.1:4566
  npm run replay -- --from 2024-05-01T10:00:00Z --to 2024-05-01T11:00:00Z --service inventory
  npm run replay -- --from -1h --detail-type OrderCancelled --service payments --profile prod`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  from: { type: 'string' },
  to: { type: 'string' },
  service: { type: 'string' },
  pattern: { type: 'string' },
  source: { type: 'string', multiple: true },
  'detail-type': { type: 'string', multiple: true },
  archive: { type: 'string' },
  bus: { type: 'string' },
  'stack-prefix': { type: 'string', default: DEFAULT_STACK_PREFIX },
  name: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
} as const;

/** AWS may take this long to archive an event (its docs recommend waiting before replaying). */
const ARCHIVE_LAG_MS = 10 * 60_000;

/** After the replay, before removing temporary rules: AWS may still be delivering (retries). */
const AWS_LINGER_MS = 15_000;

export async function main(argv: readonly string[], io: Io): Promise<number> {
  return guarded(io, async () => {
    const { values, positionals } = parse(argv, OPTIONS, 'npm run replay --');
    if (values.help) {
      println(io.stdout, HELP);
      return EXIT.ok;
    }
    if (positionals.length) {
      throw new UsageError(
        `replay takes no positional arguments; received '${positionals.join(' ')}'. Run with --help.`,
      );
    }
    if (values.from === undefined) {
      throw new UsageError('--from is required, e.g. --from -2h or --from 2024-05-01T10:00:00Z.');
    }
    const now = Date.now();
    const from = parseTime(values.from, now, '--from');
    const to = parseTime(values.to ?? 'now', now, '--to');
    const pattern = patternFromFlags(values);

    const target = await resolveTarget(values, io);
    try {
      const plan = await planReplay(target, {
        ...(values.bus !== undefined && { bus: values.bus }),
        ...(values.archive !== undefined && { archive: values.archive }),
        ...(values.service !== undefined && { service: values.service }),
        ...(values.name !== undefined && { name: values.name }),
        ...(pattern !== undefined && { pattern }),
        stackPrefix: values['stack-prefix'],
        from,
        to,
        now,
      });
      const say = (line = '') => println(values.json ? io.stderr : io.stdout, line);
      printPlan(plan, values['dry-run'], target, say);

      if (plan.routes.length === 0) {
        say('Nothing to replay: no rule in scope could receive an event matching the pattern.');
        if (values.json) printJson(io, report(plan, values['dry-run']));
        return EXIT.ok;
      }
      if (values['dry-run']) {
        const count = await dryRun(target, plan, io);
        printCount(count, say);
        if (values.json) printJson(io, { ...report(plan, true), count });
        return EXIT.ok;
      }

      const outcome = await execute(target, plan, io, say);
      if (values.json) printJson(io, { ...report(plan, false), ...outcome });
      if (outcome.left.length) {
        println(
          io.stderr,
          'error: could not remove everything this replay created; remove by hand:',
        );
        for (const l of outcome.left) println(io.stderr, `  ${l}`);
        return EXIT.failure;
      }
      if (outcome.interrupted) return EXIT.interrupted;
      return outcome.state === 'COMPLETED' ? EXIT.ok : EXIT.failure;
    } catch (err) {
      throw explainAwsError(err, target);
    } finally {
      target.destroy();
    }
  });
}

async function execute(
  target: AwsTarget,
  plan: ReplayPlan,
  io: Io,
  say: (line?: string) => void,
): Promise<FollowResult & { left: string[] }> {
  const created: CreatedRule[] = [];
  let left: string[] = [];
  try {
    if (plan.filter === 'temporary') await createTemporaryRules(target, plan, created);
    const filterArns =
      plan.filter === 'all'
        ? undefined
        : plan.filter === 'rules'
          ? plan.routes.map((r) => r.rule.arn)
          : created.map((c) => c.arn);
    await target.events.send(
      new StartReplayCommand({
        ReplayName: plan.replayName,
        EventSourceArn: plan.archive.arn,
        EventStartTime: plan.from,
        EventEndTime: plan.to,
        Destination: { Arn: plan.bus.arn, ...(filterArns && { FilterArns: filterArns }) },
        Description: `ops replay${plan.stack ? ` to ${plan.stack}` : ''}`,
      }),
    );
    say(`Started replay ${plan.replayName}; following it (Ctrl-C cancels it).`);
    const pollMs = io.pollMs ?? (target.local ? 250 : 2000);
    const result = await followReplay(target, plan.replayName, plan, io, pollMs);
    say(describeOutcome(plan.replayName, result));
    return { ...result, left };
  } finally {
    if (created.length) {
      if (!target.local) {
        say(
          `Waiting ${formatDuration(AWS_LINGER_MS)} for deliveries still retrying before removing the temporary rules...`,
        );
        await pause(AWS_LINGER_MS);
      }
      left = await removeTemporaryRules(target, plan.bus.name, created);
      if (!left.length) say(`Removed ${plural(created.length, 'temporary rule')}.`);
    }
  }
}

function printPlan(
  plan: ReplayPlan,
  dry: boolean,
  target: AwsTarget,
  say: (line?: string) => void,
): void {
  const a = plan.archive;
  const totals = a.eventCount !== undefined ? ` (${plural(a.eventCount, 'event')} in total)` : '';
  say(`Replay ${plan.replayName}${dry ? ' (dry run)' : ''} on ${target.describe()}`);
  say(`  archive  ${a.name}${totals}, bus ${plan.bus.name}`);
  say(
    `  window   ${plan.from.toISOString()} -> ${plan.to.toISOString()} ` +
      `(${formatDuration(plan.to.getTime() - plan.from.getTime())})${plan.toClamped ? ', --to moved back to now' : ''}`,
  );
  if (!target.local && plan.to.getTime() > Date.now() - ARCHIVE_LAG_MS) {
    say(
      '  note     events of the last 10 minutes may not be in the archive yet: AWS archives with a ' +
        'delay and recommends waiting 10 minutes before replaying them.',
    );
  }
  if (plan.pattern) say(`  pattern  ${JSON.stringify(plan.pattern)}`);
  if (plan.filter === 'all') say('  to       every rule on the bus:');
  for (const route of plan.routes) {
    const targets = route.rule.targets.map((t) => (t.Arn ? arnName(t.Arn) : '?')).join(', ');
    say(`  rule     ${route.rule.name} -> ${targets}`);
    if (route.temporary) say(`           via temporary rule ${route.temporary.name}`);
  }
  for (const s of plan.skipped) say(`  skipped  ${s.rule}: ${s.reason}`);
}

function printCount(count: DryRunCount, say: (line?: string) => void): void {
  if (!count.counted) {
    const totals =
      count.archiveEventCount !== undefined
        ? ` The archive holds ${plural(count.archiveEventCount, 'event')} (${count.archiveSizeBytes ?? '?'} bytes) in total.`
        : '';
    say(`Cannot count the events in this window: ${count.note}${totals}`);
    return;
  }
  say(
    `Would replay ${plural(count.inWindow ?? 0, 'archived event')} in the window; ` +
      `${plural(count.delivered ?? 0, 'event')} would reach the rules above:`,
  );
  for (const r of count.perRule ?? []) say(`  ${String(r.events).padStart(6)}  ${r.rule}`);
  say(`(from ${count.source})`);
}

function report(plan: ReplayPlan, dry: boolean) {
  return {
    replayName: plan.replayName,
    dryRun: dry,
    bus: plan.bus,
    archive: plan.archive,
    window: { from: plan.from.toISOString(), to: plan.to.toISOString(), toClamped: plan.toClamped },
    ...(plan.pattern && { pattern: plan.pattern }),
    ...(plan.stack && { stack: plan.stack }),
    filter: plan.filter,
    rules: plan.routes.map((r) => ({
      name: r.rule.name,
      arn: r.rule.arn,
      targets: r.rule.targets.map((t) => t.Arn),
      ...(r.temporary && { temporaryRule: r.temporary.name }),
    })),
    skipped: plan.skipped,
  };
}

if (isEntryPoint(import.meta.url)) await runAsScript(main);
