import type { AwsTarget } from '../shared/aws.js';
import { EXIT, printJson, println, type Io } from '../shared/cli.js';
import { progressBar } from '../shared/progress.js';
import { plural, table } from '../shared/text.js';
import { formatDuration } from '../shared/time.js';
import { peek } from './peek.js';
import { deadLetterQueues, depthOf, listQueues, type DeadLetterQueue } from './queues.js';

export interface DlqSummary {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  readonly depth: number;
  readonly inFlight: number;
  readonly delayed: number;
  /** Dead letters of these queues (their RedrivePolicy); empty for an on-failure destination. */
  readonly sources: readonly string[];
  readonly oldestMessage?: {
    readonly sentAt: string;
    readonly ageSeconds: number;
    /** True when every message was read; otherwise the oldest of a sample (a lower bound). */
    readonly exact: boolean;
  };
  /** Why the age is missing, when it is. */
  readonly ageUnknown?: string;
}

export async function listCommand(
  target: AwsTarget,
  io: Io,
  opts: { json: boolean; prefix?: string; peek: boolean },
): Promise<number> {
  const bar = progressBar(io.stderr, 'reading queues');
  let dlqs: DeadLetterQueue[];
  try {
    dlqs = deadLetterQueues(await listQueues(target, opts.prefix, bar));
  } finally {
    bar.stop();
  }
  const now = Date.now();
  const summaries: DlqSummary[] = [];
  for (const q of dlqs) summaries.push(await summarize(target, q, opts.peek, now));

  if (opts.json) {
    printJson(io, { deadLetterQueues: summaries });
    return EXIT.ok;
  }
  if (!summaries.length) {
    println(io.stdout, `No dead-letter queue on ${target.describe()}.`);
    return EXIT.ok;
  }
  println(
    io.stdout,
    table(
      ['QUEUE', 'DEPTH', 'IN FLIGHT', 'OLDEST', 'DEAD LETTERS OF'],
      summaries.map((s) => [
        s.name,
        String(s.depth),
        String(s.inFlight),
        s.oldestMessage
          ? `${s.oldestMessage.exact ? '' : '>= '}${age(s.oldestMessage.ageSeconds)}`
          : s.depth > 0
            ? '?'
            : '-',
        s.sources.length ? s.sources.join(', ') : '(on-failure destination)',
      ]),
    ),
  );
  const full = summaries.filter((s) => s.depth + s.inFlight > 0);
  const total = full.reduce((n, s) => n + s.depth + s.inFlight, 0);
  println(io.stdout);
  println(
    io.stdout,
    `${plural(summaries.length, 'dead-letter queue')}; ${plural(total, 'message')} in ${full.length} of them.`,
  );
  if (summaries.some((s) => s.oldestMessage && !target.local)) {
    println(
      io.stdout,
      'OLDEST is the oldest of up to 10 messages read (a receive: it adds one to their receive count); ' +
        'the CloudWatch metric ApproximateAgeOfOldestMessage is exact.',
    );
  }
  for (const s of summaries.filter((x) => x.ageUnknown && x.depth > 0)) {
    println(io.stdout, `${s.name}: age unknown, ${s.ageUnknown}`);
  }
  return EXIT.ok;
}

async function summarize(
  target: AwsTarget,
  q: DeadLetterQueue,
  allowPeek: boolean,
  now: number,
): Promise<DlqSummary> {
  const d = depthOf(q);
  const base = {
    name: q.name,
    url: q.url,
    arn: q.arn,
    depth: d.visible,
    inFlight: d.inFlight,
    delayed: d.delayed,
    sources: q.sources.map((s) => s.name),
  };
  if (d.visible === 0) return base;
  if (!allowPeek) return { ...base, ageUnknown: 'not read (--no-peek)' };
  if (q.redrive) {
    return {
      ...base,
      ageUnknown: 'not read: it has a redrive policy of its own, and reading counts as a receive',
    };
  }
  const messages = await peek(target, q.url, 10, 0);
  const sent = messages
    .map((m) => Number(m.Attributes?.['SentTimestamp']))
    .filter((t) => Number.isFinite(t));
  if (!sent.length) return { ...base, ageUnknown: 'no message could be read' };
  const oldest = Math.min(...sent);
  return {
    ...base,
    oldestMessage: {
      sentAt: new Date(oldest).toISOString(),
      ageSeconds: Math.max(0, Math.round((now - oldest) / 1000)),
      exact: messages.length >= d.visible,
    },
  };
}

function age(seconds: number): string {
  return seconds < 1 ? '<1s' : formatDuration(seconds * 1000);
}
