import type { AwsTarget } from '../shared/aws.js';
import { CliError, EXIT, printJson, println, type Io } from '../shared/cli.js';
import { plural } from '../shared/text.js';
import { formatDuration } from '../shared/time.js';
import { findConsumers, whereToLook } from './consumer.js';
import { describeMessage, type DeadLetter } from './describe.js';
import { peek } from './peek.js';
import { depthOf, type DeadLetterQueue } from './queues.js';

/** How long read messages stay hidden while more are read; they are released right after. */
const HOLD_SECONDS = 30;

export async function showCommand(
  target: AwsTarget,
  io: Io,
  q: DeadLetterQueue,
  opts: { json: boolean; max: number },
): Promise<number> {
  if (q.redrive) {
    throw new CliError(
      `${q.name} has a redrive policy of its own (to ${q.redrive.deadLetterTargetArn} after ` +
        `${q.redrive.maxReceiveCount} receives): reading its messages counts as receives and could ` +
        `move them on. Read them where they end up, or remove that policy first.`,
    );
  }
  const depth = depthOf(q);
  const maxReceives = new Map(q.sources.map((s) => [s.arn, s.redrive?.maxReceiveCount]));
  const only = q.sources.length === 1 ? q.sources[0]!.redrive?.maxReceiveCount : undefined;
  const messages = (await peek(target, q.url, opts.max, HOLD_SECONDS)).map((m) => {
    const source = m.Attributes?.['DeadLetterQueueSourceArn'];
    const maxReceiveCount = (source !== undefined ? maxReceives.get(source) : undefined) ?? only;
    return describeMessage(m, maxReceiveCount === undefined ? {} : { maxReceiveCount });
  });
  const sourceArns = [
    ...new Set([
      ...q.sources.map((s) => s.arn),
      ...messages.map((m) => m.sourceQueueArn).filter((a): a is string => a !== undefined),
    ]),
  ];
  const consumers = target.local ? undefined : await findConsumers(target, sourceArns);
  const first = messages.find((m) => m.kind === 'event');
  const look = whereToLook(target, consumers, {
    messageId: first?.messageId ?? '<message id>',
    ...(first?.event?.eventId !== undefined && { eventId: first.event.eventId }),
  });

  if (opts.json) {
    printJson(io, {
      queue: { name: q.name, url: q.url, arn: q.arn, ...depth },
      sources: q.sources.map((s) => ({
        name: s.name,
        arn: s.arn,
        maxReceiveCount: s.redrive?.maxReceiveCount,
      })),
      messages,
      ...(consumers && { consumers }),
      whereToLook: look,
    });
    return EXIT.ok;
  }

  const out = (line = '') => println(io.stdout, line);
  const from = q.sources.length
    ? `dead letters of ${q.sources.map((s) => `${s.name} (maxReceiveCount ${s.redrive?.maxReceiveCount ?? '?'})`).join(', ')}`
    : 'an on-failure destination (no queue redrives into it)';
  out(`${q.name}: ${plural(depth.visible, 'message')} (${depth.inFlight} in flight), ${from}`);
  if (!messages.length) {
    out(
      depth.visible + depth.inFlight > 0 ? 'No message could be read (all in flight?).' : 'Empty.',
    );
    return EXIT.ok;
  }
  out();
  const now = Date.now();
  messages.forEach((m, i) => printMessage(out, m, i + 1, now));
  out(
    `Showing ${messages.length} of about ${depth.visible + depth.inFlight}` +
      `${messages.length < depth.visible ? ` (--max ${opts.max}; pass a larger --max for more)` : ''}.`,
  );
  const byType = new Map<string, number>();
  for (const m of messages) {
    const key = m.event?.detailType ?? m.kind;
    byType.set(key, (byType.get(key) ?? 0) + 1);
  }
  out(`By event: ${[...byType].map(([k, n]) => `${k} ${n}`).join(', ')}`);
  if (messages.some((m) => m.kind === 'event' && !m.deliveryError)) {
    out();
    out('Where the errors are:');
    for (const line of look) out(`  ${line}`);
  }
  out();
  out(
    'Reading counted as a receive of each message shown (ApproximateReceiveCount + 1); nothing was deleted.',
  );
  return EXIT.ok;
}

function printMessage(out: (line?: string) => void, m: DeadLetter, n: number, now: number): void {
  const age = m.sentAt ? ` (${formatDuration(now - Date.parse(m.sentAt))} ago)` : '';
  if (m.event) {
    const e = m.event;
    out(
      `${n}. ${e.detailType ?? '?'} from ${e.source ?? '?'}${e.replayName ? ` (replayed by ${e.replayName})` : ''}`,
    );
    out(`   eventId       ${e.eventId ?? '-'}`);
    out(`   correlationId ${e.correlationId ?? '-'}   causationId ${e.causationId ?? '-'}`);
  } else if (m.streamBatch) {
    const b = m.streamBatch;
    out(`${n}. stream batch of ${b.batchSize ?? '?'} records, shard ${b.shardId ?? '?'}`);
    out(`   sequence      ${b.startSequenceNumber ?? '?'} .. ${b.endSequenceNumber ?? '?'}`);
    out(`   stream        ${b.streamArn ?? '?'}`);
  } else {
    out(`${n}. message ${m.messageId}`);
    out(`   body          ${m.body ?? ''}`);
  }
  out(
    `   message       ${m.messageId}, sent ${m.sentAt ?? '?'}${age}, received ${times(m.receiveCount)}`,
  );
  if (m.deliveryError) {
    const d = m.deliveryError;
    out(`   error         ${d.code ?? '?'}: ${d.message ?? ''}`);
    out(`   rule/target   ${d.rule ?? '?'} -> ${d.target ?? '?'}`);
  }
  for (const [k, v] of Object.entries(m.attributes ?? {})) out(`   ${k.padEnd(13)} ${v}`);
  out(`   why           ${m.reason}`);
  out();
}

function times(n: number | undefined): string {
  if (n === undefined) return '? times';
  return n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`;
}
