/**
 * `npm run rebuild -- [--yes] [--dry-run]`: rebuilds the order views from the
 * bus's archive into a new projection version, beside the one readers use,
 * and makes it active once it has caught up (docs/adr/0016-read-model.md).
 */
import { DescribeArchiveCommand, StartReplayCommand } from '@aws-sdk/client-eventbridge';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { explainAwsError, resolveTarget, type AwsTarget } from './shared/aws.js';
import {
  COMMON_HELP,
  COMMON_OPTIONS,
  CliError,
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
import { arnName, DEFAULT_STACK_PREFIX, resolveBusAndArchive } from './shared/eventbridge.js';
import { plural } from './shared/text.js';
import { formatDuration } from './shared/time.js';
import { estimateCost, formatUsd } from './rebuild/cost.js';
import { queueDepth, total, waitForDrain } from './rebuild/drain.js';
import { abandonBuilding, flipActive, readPointer, startBuilding } from './rebuild/pointer.js';
import { findViewsStack, type ViewsStackRef } from './rebuild/stack.js';
import { deleteOtherVersions } from './rebuild/sweep.js';
import { POINTER_CACHE_MS } from '../functions/views/adapters/pointer-cache.js';
import { describeOutcome, followReplay } from './replay/follow.js';

const HELP = `Usage: npm run rebuild -- [--yes] [--dry-run] [options]

Rebuilds every order view of the read model (Shop-Views) from the bus's
archive, without a moment where readers see an empty or half-built view:

  1. names version n+1 BUILDING (live events now go to versions n and n+1);
  2. replays the whole archive to the views' rebuild rule only (FilterArns),
     whose consumer writes into version n+1 only;
  3. follows the replay, then the rebuild queue until it is drained;
  4. makes n+1 ACTIVE in one conditional write (readers switch at once);
  5. deletes the items of every other version.

Ctrl-C before step 4 cancels the replay and abandons n+1: readers never saw it.

Options:
  --yes                Do not ask for confirmation.
  --dry-run            Say what would be done, the archive's size and an AWS cost
                       estimate; write nothing.
  --stack-prefix P     Stack name prefix (default ${DEFAULT_STACK_PREFIX}).

${COMMON_HELP}

Examples:
  npm run rebuild -- --dry-run --endpoint-url http://127.0.0.1:4566
  npm run rebuild -- --yes --endpoint-url http://127.0.0.1:4566
  npm run rebuild -- --profile prod --region eu-west-1`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  yes: { type: 'boolean', default: false },
  'dry-run': { type: 'boolean', default: false },
  'stack-prefix': { type: 'string', default: DEFAULT_STACK_PREFIX },
} as const;

/** AWS may take this long to archive an event: the replay ends this far back, live events cover the rest. */
const AWS_ARCHIVE_LAG_MS = 10 * 60_000;

export interface RebuildReport {
  readonly dryRun: boolean;
  readonly from: number;
  readonly to: number;
  readonly replayName: string;
  readonly archive: { name: string; eventCount?: number; sizeBytes?: number };
  readonly window: { from: string; to?: string };
  readonly estimateUsd: number;
  readonly deletedItems?: number;
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  return guarded(io, async () => {
    const { values, positionals } = parse(argv, OPTIONS, 'npm run rebuild --');
    if (values.help) {
      println(io.stdout, HELP);
      return EXIT.ok;
    }
    if (positionals.length) {
      throw new UsageError(
        `rebuild takes no positional arguments; received '${positionals.join(' ')}'. Run with --help.`,
      );
    }
    const target = await resolveTarget(values, io);
    const say = (line = '') => println(values.json ? io.stderr : io.stdout, line);
    try {
      const report = await rebuild(target, io, say, {
        dryRun: values['dry-run'],
        yes: values.yes,
        stackPrefix: values['stack-prefix'],
      });
      if (values.json) printJson(io, report);
      return EXIT.ok;
    } catch (err) {
      throw explainAwsError(err, target);
    } finally {
      target.destroy();
    }
  });
}

async function rebuild(
  target: AwsTarget,
  io: Io,
  say: (line?: string) => void,
  opts: { dryRun: boolean; yes: boolean; stackPrefix: string },
): Promise<RebuildReport> {
  const stack = await findViewsStack(target, opts.stackPrefix);
  const { bus, archive } = await resolveBusAndArchive(target.events, {}, opts.stackPrefix);
  const db = DynamoDBDocumentClient.from(target.dynamodb);
  const pointer = await readPointer(db, stack.tableName);
  const next = Math.max(pointer.active, pointer.building ?? 0) + 1;
  const from = await archiveCreation(target, archive.name);
  const replayName = `rebuild-views-v${next}-${randomBytes(3).toString('hex')}`;
  const { ItemCount: tableItems = 0 } =
    (await target.dynamodb.send(new DescribeTableCommand({ TableName: stack.tableName }))).Table ??
    {};
  const estimate = estimateCost(archive.eventCount ?? 0, tableItems);

  say(`Rebuild of the order views${opts.dryRun ? ' (dry run)' : ''} on ${target.describe()}`);
  say(`  table    ${stack.tableName}: version ${pointer.active} active, ${next} to build`);
  if (pointer.building !== undefined) {
    say(
      `  note     version ${pointer.building} was being built and never finished: it is abandoned`,
    );
  }
  const size = archive.sizeBytes !== undefined ? `, ${archive.sizeBytes} bytes` : '';
  say(
    `  archive  ${archive.name} (${plural(archive.eventCount ?? 0, 'event')}${size}), bus ${bus.name}`,
  );
  say(
    `  window   ${from.toISOString()} (the archive's creation) -> the moment version ${next} starts building` +
      (target.local
        ? ''
        : `, replayed ${formatDuration(AWS_ARCHIVE_LAG_MS)} later (AWS's archive delay)`),
  );
  say(
    `  rule     ${arnName(stack.rebuildRuleArn)} only (FilterArns) -> ${queueName(stack.rebuildQueueUrl)}`,
  );
  say(
    `  cost     about ${formatUsd(estimate.usd)} on AWS for ${plural(estimate.events, 'event')} ` +
      `and a table of ${plural(tableItems, 'item')} (at most that many to delete); per million of each:`,
  );
  for (const line of estimate.perMillion) {
    say(`           ${formatUsd(line.usd).padStart(7)}  ${line.what}`);
  }
  const report: RebuildReport = {
    dryRun: opts.dryRun,
    from: pointer.active,
    to: next,
    replayName,
    archive: {
      name: archive.name,
      ...(archive.eventCount !== undefined && { eventCount: archive.eventCount }),
      ...(archive.sizeBytes !== undefined && { sizeBytes: archive.sizeBytes }),
    },
    window: { from: from.toISOString() },
    estimateUsd: estimate.usd,
  };
  if (opts.dryRun) {
    say('Dry run: nothing was written.');
    return report;
  }
  await confirm(io, opts.yes, `Rebuild the views into version ${next} and make it active? [y/N] `);
  await requireEmpty(target, stack);

  await startBuilding(db, stack.tableName, pointer, next);
  say(`Version ${next} is BUILDING: live events now go to versions ${pointer.active} and ${next}.`);
  const abandon = async (why: string): Promise<never> => {
    await abandonBuilding(db, stack.tableName, next);
    throw new CliError(
      `${why} Version ${next} was abandoned; readers still use version ${pointer.active}.`,
      why.startsWith('Interrupted') ? EXIT.interrupted : EXIT.failure,
    );
  };
  // Live consumers may project on their cached pointer for POINTER_CACHE_MS more: the window
  // closes after that, so what they projected without `next` is replayed into it.
  await pause(POINTER_CACHE_MS, io.signal);
  if (io.signal?.aborted) return abandon('Interrupted before the replay started.');
  // Events published from now on reach version `next` live; the replay covers everything before.
  const to = new Date();

  if (!target.local) {
    say(
      `Waiting ${formatDuration(AWS_ARCHIVE_LAG_MS)} for AWS to archive the events published until now (Ctrl-C abandons)...`,
    );
    await pause(AWS_ARCHIVE_LAG_MS, io.signal);
    if (io.signal?.aborted) return abandon('Interrupted before the replay started.');
  }
  if (to <= from) from.setTime(to.getTime() - 1);
  await target.events.send(
    new StartReplayCommand({
      ReplayName: replayName,
      EventSourceArn: archive.arn,
      EventStartTime: from,
      EventEndTime: to,
      Destination: { Arn: bus.arn, FilterArns: [stack.rebuildRuleArn] },
      Description: `npm run rebuild: views version ${next}`,
    }),
  );
  say(`Started replay ${replayName}; following it (Ctrl-C cancels the rebuild).`);
  const pollMs = io.pollMs ?? (target.local ? 250 : 2000);
  const replay = await followReplay(target, replayName, { from, to }, io, pollMs);
  say(describeOutcome(replayName, replay));
  if (replay.interrupted) return abandon('Interrupted: the replay was cancelled.');
  if (replay.state !== 'COMPLETED') return abandon(`Replay ${replayName} ended ${replay.state}.`);

  const drained = await waitForDrain(target, stack.rebuildQueueUrl, io, {
    pollMs,
    quietPolls: target.local ? 4 : 3,
  });
  if (!drained) return abandon('Interrupted while the rebuild queue drained.');
  const dead = total(await queueDepth(target, stack.rebuildDeadLetterQueueUrl));
  if (dead > 0) {
    return abandon(
      `${plural(dead, 'replayed event')} reached the rebuild dead-letter queue ` +
        `(${queueName(stack.rebuildDeadLetterQueueUrl)}): see why with npm run dlq -- show, discard them, and run again.`,
    );
  }
  say(`The rebuild queue is drained: version ${next} has caught up.`);

  await flipActive(db, stack.tableName, pointer.active, next);
  say(`Version ${next} is ACTIVE: readers use it from now on.`);
  // Until their cached pointers expire, live consumers still write the old version too.
  await pause(POINTER_CACHE_MS, io.signal);
  const deletedItems = await deleteOtherVersions(db, stack.tableName, next);
  say(`Deleted ${plural(deletedItems, 'item')} of older versions.`);
  return { ...report, window: { from: from.toISOString(), to: to.toISOString() }, deletedItems };
}

const queueName = (url: string) => url.split('/').pop() ?? url;

async function archiveCreation(target: AwsTarget, name: string): Promise<Date> {
  const a = await target.events.send(new DescribeArchiveCommand({ ArchiveName: name }));
  return a.CreationTime ?? new Date(0);
}

/** A rebuild starts from a clean rebuild queue: leftovers of another replay would land in the new version. */
async function requireEmpty(target: AwsTarget, stack: ViewsStackRef): Promise<void> {
  const waiting = total(await queueDepth(target, stack.rebuildQueueUrl));
  if (waiting > 0) {
    throw new CliError(
      `The rebuild queue ${queueName(stack.rebuildQueueUrl)} still holds ${plural(waiting, 'message')} ` +
        `(another replay is being delivered?); wait until it is empty and run again.`,
    );
  }
}

async function confirm(io: Io, yes: boolean, question: string): Promise<void> {
  if (yes) return;
  if (!io.stdin.isTTY) {
    throw new UsageError(
      'Refusing to rebuild without confirmation: standard input is not a terminal. Pass --yes.',
    );
  }
  io.stderr.write(question);
  const rl = createInterface({ input: io.stdin });
  try {
    const [line] = (await Promise.race([once(rl, 'line'), once(rl, 'close').then(() => [''])])) as [
      string,
    ];
    if (!/^y(es)?$/i.test(line.trim())) throw new CliError('Nothing rebuilt.');
  } finally {
    rl.close();
  }
}

if (isEntryPoint(import.meta.url)) await runAsScript(main);
