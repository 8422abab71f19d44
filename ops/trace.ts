/**
 * `npm run trace -- <orderId>`: every event of an order's journey (its
 * correlationId), in order, as a causation tree, and every log line the
 * services wrote for it, read through CloudWatch Logs on AWS and locally alike.
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
import { correlatedLines, shopLogGroups, type LogLine } from './trace/logs.js';
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

Prints an order's journey (its correlationId is the order id):
  - the events (local cloud only): each under the event that caused it
    (metadata.causationId), with the time the bus received it, the service that
    emitted it, its detail-type and its short eventId;
  - the log lines the services wrote for it, from CloudWatch Logs
    (FilterLogEvents with { $.correlationId = "<orderId>" } over the shop's log groups).

  --flat               One chronological list with a CAUSE column instead of a tree.
  --log-groups G,...   The log groups to search (default: every group whose name holds "Shop").
  --since-hours N      How far back to search the logs (default 168, a week).

Where it reads:
  local cloud          Its event log (GET <endpoint>/_local/events?correlationId=<orderId>) and its
                       CloudWatch Logs API, which holds every function's output.
  AWS                  CloudWatch Logs only: an archive cannot be listed or searched, only replayed.

${COMMON_HELP}

Examples:
  npm run trace -- 01HX9Z8K7Q3J5V2T4N6M8P0R1S --endpoint-url http://127.0.0.1:4566
  npm run trace -- 01HX9Z8K7Q3J5V2T4N6M8P0R1S --flat --json
  npm run trace -- 01HX9Z8K7Q3J5V2T4N6M8P0R1S --profile prod --since-hours 24`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  flat: { type: 'boolean', default: false },
  'log-groups': { type: 'string' },
  'since-hours': { type: 'string', default: '168' },
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
    const hours = Number(values['since-hours']);
    if (!Number.isFinite(hours) || hours <= 0)
      throw new UsageError(
        `--since-hours must be a positive number of hours; received '${values['since-hours']}'.`,
      );
    const target = await resolveTarget(values, io);
    try {
      const records = target.local
        ? await recordedEvents(target.local, { correlationId: orderId })
        : [];
      const groups = await shopLogGroups(target.logs, values['log-groups']);
      const lines = await correlatedLines(
        target.logs,
        groups,
        orderId,
        Date.now() - hours * 3_600_000,
      );
      if (!records.length && !lines.length) {
        throw new CliError(
          `No event with correlationId ${orderId} ${target.local ? `in the event log of ${target.describe()}, and no` : 'and no'} ` +
            `log line with it in ${groups.length ? `${plural(groups.length, 'log group')} (${groups.join(', ')})` : 'any log group (none holds "Shop" in its name; pass --log-groups)'} ` +
            `in the last ${hours} hours on ${target.describe()}. An order's correlationId is its orderId (from POST /orders).`,
        );
      }
      const roots = buildTimeline(records);
      const source = target.local ? `${target.local.endpoint}/_local/events` : undefined;
      if (values.json) {
        printJson(io, {
          correlationId: orderId,
          source: source ?? null,
          events: toJson(roots, values.flat),
          logGroups: groups,
          logLines: lines.map(({ fields: _fields, ...line }) => ({
            ...line,
            time: new Date(line.timestamp).toISOString(),
          })),
        });
        return EXIT.ok;
      }
      if (records.length && source) printText(io, orderId, roots, values.flat, source);
      printLines(io, orderId, lines, groups, target.describe(), records.length > 0);
      return EXIT.ok;
    } catch (err) {
      throw explainAwsError(err, target);
    } finally {
      target.destroy();
    }
  });
}

/** The order's log lines, oldest first: time, service, level, message, and the event being handled. */
function printLines(
  io: Io,
  orderId: string,
  lines: readonly LogLine[],
  groups: readonly string[],
  where: string,
  afterEvents: boolean,
): void {
  const what = `${plural(lines.length, 'log line')} from ${plural(groups.length, 'log group')} (CloudWatch Logs on ${where})`;
  if (afterEvents) println(io.stdout);
  println(io.stdout, afterEvents ? `${what}:` : `Order ${orderId}: ${what}`);
  if (!lines.length) return;
  println(io.stdout);
  const start = lines[0]!.timestamp;
  const rows = lines.map((l) => [
    new Date(l.timestamp).toISOString().slice(11, 23),
    `+${formatDuration(l.timestamp - start)}`,
    l.service ?? l.logGroup,
    l.level ?? '-',
    l.message +
      (l.detailType ? `  (${l.detailType}${l.eventId ? ` ${shortId(l.eventId)}` : ''})` : ''),
  ]);
  println(io.stdout, table(['TIME (UTC)', 'ELAPSED', 'SERVICE', 'LEVEL', 'MESSAGE'], rows));
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

if (isEntryPoint(import.meta.url)) await runAsScript(main);
