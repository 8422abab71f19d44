/**
 * `npm run trace -- <orderId>`: every event of an order's journey (its
 * correlationId), in order, as a causation tree.
 */
import { explainAwsError, resolveTarget } from './shared/aws.js';
import {
  CliError,
  COMMON_HELP,
  COMMON_OPTIONS,
  EXIT,
  guarded,
  isEntryPoint,
  parse,
  printJson,
  println,
  runAsScript,
  UsageError,
  type Io,
} from './shared/cli.js';
import { recordedEvents } from './shared/local.js';
import { plural, shortId, table } from './shared/text.js';
import { formatDuration } from './shared/time.js';
import {
  buildTimeline,
  chronological,
  flatten,
  treePrefixes,
  type TraceEvent,
} from './trace/timeline.js';

const HELP = `Usage: npm run trace -- <orderId> [--flat] [options]

Prints every event of an order's journey (events whose metadata.correlationId is
the order id), as a tree: each event under the event that caused it
(metadata.causationId), with the time the bus received it, the service that
emitted it, its detail-type and its short eventId.

  --flat               One chronological list with a CAUSE column instead of a tree.
  --log-groups G,...   For AWS: the services' log groups to query (see below).

Where the events come from:
  local cloud          Its event log (GET <endpoint>/_local/events?correlationId=<orderId>).
  AWS                  Nowhere this build can read: an archive cannot be listed, only replayed,
                       and querying the services' logs (every line carries correlationId) needs
                       @aws-sdk/client-cloudwatch-logs, which is not installed. trace prints the
                       Logs Insights query to run with the AWS CLI instead, and exits 1.

${COMMON_HELP}

Examples:
  npm run trace -- 01HX9Z8K7Q3J5V2T4N6M8P0R1S --endpoint-url http://127.0.0.1:4566
  npm run trace -- 01HX9Z8K7Q3J5V2T4N6M8P0R1S --flat --json`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  flat: { type: 'boolean', default: false },
  'log-groups': { type: 'string' },
} as const;

export async function main(argv: readonly string[], io: Io): Promise<number> {
  return guarded(io, async () => {
    const { values, positionals } = parse(argv, OPTIONS, 'npm run trace --');
    if (values.help) {
      println(io.stdout, HELP);
      return EXIT.ok;
    }
    if (positionals.length !== 1 || positionals[0]!.trim() === '') {
      throw new UsageError(
        `trace takes exactly one order id (its correlationId); received ${positionals.length ? `'${positionals.join(' ')}'` : 'none'}.`,
      );
    }
    const orderId = positionals[0]!;
    const target = await resolveTarget(values, io);
    try {
      if (!target.local)
        throw new CliError(awsMessage(orderId, values['log-groups'], target.describe()));
      const records = await recordedEvents(target.local, { correlationId: orderId });
      if (!records.length) {
        throw new CliError(
          `No event with correlationId ${orderId} in the event log of ${target.describe()}. ` +
            `An order's correlationId is its orderId (from POST /orders); the log holds what the buses ` +
            `accepted since the local cloud started.`,
        );
      }
      const roots = buildTimeline(records);
      const source = `${target.local.endpoint}/_local/events`;
      if (values.json) {
        printJson(io, { correlationId: orderId, source, events: toJson(roots, values.flat) });
        return EXIT.ok;
      }
      printText(io, orderId, roots, values.flat, source);
      return EXIT.ok;
    } catch (err) {
      throw explainAwsError(err, target);
    } finally {
      target.destroy();
    }
  });
}

function printText(
  io: Io,
  orderId: string,
  roots: readonly TraceEvent[],
  flat: boolean,
  source: string,
): void {
  const ordered = flat ? chronological(roots) : flatten(roots);
  const times = ordered.map((e) => Date.parse(e.receivedAt));
  const start = Math.min(...times);
  const end = Math.max(...times);
  println(
    io.stdout,
    `Order ${orderId}: ${plural(ordered.length, 'event')} from ${new Date(start).toISOString()} ` +
      `to ${new Date(end).toISOString()} (${formatDuration(end - start)}), from ${source}`,
  );
  println(io.stdout);
  const prefixes = flat ? ordered.map(() => '') : treePrefixes(roots);
  const rows = ordered.map((e, i) => {
    const t = Date.parse(e.receivedAt);
    const notes = [
      e.published > 1 ? `published ${e.published}x` : '',
      e.replays.length ? `replayed ${e.replays.length}x` : '',
      e.root && e.causationId ? `caused by ${shortId(e.causationId)} (not an event here)` : '',
    ].filter(Boolean);
    const event = `${prefixes[i]}${e.detailType} [${e.service}] ${shortId(e.eventId)}`;
    const cells = [
      new Date(t).toISOString().slice(11, 23),
      `+${formatDuration(t - start)}`,
      event + (notes.length ? `  (${notes.join(', ')})` : ''),
    ];
    if (flat) cells.splice(2, 0, e.root ? '-' : shortId(e.causationId));
    return cells;
  });
  const headers = flat
    ? ['TIME (UTC)', 'ELAPSED', 'CAUSE', 'EVENT']
    : ['TIME (UTC)', 'ELAPSED', 'EVENT'];
  println(io.stdout, table(headers, rows));
}

function toJson(roots: readonly TraceEvent[], flat: boolean) {
  const parentOf = new Map<string, string>();
  for (const e of flatten(roots)) for (const c of e.children) parentOf.set(c.eventId, e.eventId);
  return (flat ? chronological(roots) : flatten(roots)).map((e) => ({
    eventId: e.eventId,
    busEventId: e.busEventId,
    causationId: e.causationId ?? null,
    parentEventId: parentOf.get(e.eventId) ?? null,
    depth: e.depth,
    source: e.source,
    service: e.service,
    detailType: e.detailType,
    occurredAt: e.occurredAt ?? null,
    receivedAt: e.receivedAt,
    bus: e.bus,
    rules: e.rules,
    published: e.published,
    replays: e.replays,
  }));
}

function awsMessage(orderId: string, logGroups: string | undefined, where: string): string {
  const groups = logGroups
    ? logGroups
        .split(',')
        .map((g) => g.trim())
        .filter(Boolean)
        .join(' ')
    : '<the services\u2019 log groups, /aws/lambda/Shop-*>';
  return [
    `trace can read only the local cloud's event log, and ${where} is not the local cloud.`,
    'In AWS an archive cannot be listed or searched (only replayed), but every log line a handler',
    'writes carries correlationId. Query the services\u2019 log groups with CloudWatch Logs Insights:',
    `  aws logs start-query --log-group-names ${groups} \\`,
    `    --start-time $(date -d '-7 days' +%s) --end-time $(date +%s) \\`,
    `    --query-string 'fields @timestamp, service, detailType, eventId, message | filter correlationId = "${orderId}" | sort @timestamp asc'`,
    '  aws logs get-query-results --query-id <queryId from start-query>',
    'Running that query from trace itself needs @aws-sdk/client-cloudwatch-logs, which is not installed.',
  ].join('\n');
}

if (isEntryPoint(import.meta.url)) await runAsScript(main);
