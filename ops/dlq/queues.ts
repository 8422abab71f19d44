import {
  GetQueueAttributesCommand,
  ListQueueTagsCommand,
  ListQueuesCommand,
} from '@aws-sdk/client-sqs';
import type { AwsTarget } from '../shared/aws.js';
import { CliError } from '../shared/cli.js';
import { mapLimit } from '../shared/local.js';
import type { Progress } from '../shared/progress.js';

export interface QueueInfo {
  readonly url: string;
  readonly name: string;
  readonly arn: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** Where this queue sends messages it gave up on (its RedrivePolicy). */
  readonly redrive?: { readonly deadLetterTargetArn: string; readonly maxReceiveCount: number };
}

export interface DeadLetterQueue extends QueueInfo {
  /** Queues whose RedrivePolicy names this one; empty for on-failure queues found by name. */
  readonly sources: readonly QueueInfo[];
  /**
   * Where a dead-letter queue that no RedrivePolicy names sends its messages back to, from its
   * `redrive-to` tag (a schedule's DeadLetterConfig, say): found by resolveDeadLetterQueue.
   */
  readonly redriveTo?: QueueInfo;
}

/** The tag naming a dead-letter queue's way back (infra/constructs/order-deadlines.ts sets it). */
export const REDRIVE_TO_TAG = 'redrive-to';

const DLQ_NAME = /dlq|dead-?letter/i;

export function queueNameOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.split('/').pop() ?? url);
}

export async function listQueues(
  target: AwsTarget,
  prefix: string | undefined,
  progress?: Progress,
): Promise<QueueInfo[]> {
  const urls: string[] = [];
  let token: string | undefined;
  do {
    const page = await target.sqs.send(
      new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 1000, NextToken: token }),
    );
    urls.push(...(page.QueueUrls ?? []));
    token = page.NextToken;
  } while (token);
  let done = 0;
  const infos = await mapLimit(urls, 8, async (url) => {
    const info = await queueInfo(target, url);
    progress?.update(++done, urls.length, `${done}/${urls.length} queues`);
    return info;
  });
  return infos.filter((q): q is QueueInfo => q !== undefined);
}

/** Attributes of one queue; undefined if it was deleted meanwhile. */
export async function queueInfo(target: AwsTarget, url: string): Promise<QueueInfo | undefined> {
  let attributes: Record<string, string>;
  try {
    const out = await target.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
    );
    attributes = out.Attributes ?? {};
  } catch (err) {
    if (
      (err as Error).name.includes('NonExistentQueue') ||
      (err as Error).name === 'QueueDoesNotExist'
    )
      return undefined;
    throw err;
  }
  const redrive = parseRedrive(attributes['RedrivePolicy']);
  return {
    url,
    name: queueNameOf(url),
    arn: attributes['QueueArn'] ?? '',
    attributes,
    ...(redrive && { redrive }),
  };
}

function parseRedrive(text: string | undefined) {
  if (!text) return undefined;
  try {
    const p = JSON.parse(text) as { deadLetterTargetArn?: string; maxReceiveCount?: unknown };
    if (!p.deadLetterTargetArn) return undefined;
    return {
      deadLetterTargetArn: p.deadLetterTargetArn,
      maxReceiveCount: Number(p.maxReceiveCount),
    };
  } catch {
    return undefined;
  }
}

/**
 * Dead-letter queues: every queue some queue's RedrivePolicy names, plus
 * queues named like one (*dlq*, *DeadLetter*): on-failure destinations such as
 * the outbox publishers' are named so but are no queue's redrive target.
 */
export function deadLetterQueues(queues: readonly QueueInfo[]): DeadLetterQueue[] {
  const byTarget = new Map<string, QueueInfo[]>();
  for (const q of queues) {
    if (!q.redrive) continue;
    const list = byTarget.get(q.redrive.deadLetterTargetArn) ?? [];
    list.push(q);
    byTarget.set(q.redrive.deadLetterTargetArn, list);
  }
  return queues
    .filter((q) => byTarget.has(q.arn) || DLQ_NAME.test(q.name))
    .map((q) => ({ ...q, sources: byTarget.get(q.arn) ?? [] }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The dead-letter queue an operator means: a queue URL, an ARN, a full name,
 * or a part of one dead-letter queue's name (`inventory` finds
 * Shop-Inventory-...DeadLetterQueue... if it is the only match).
 */
export async function resolveDeadLetterQueue(
  target: AwsTarget,
  wanted: string,
): Promise<DeadLetterQueue> {
  const all = await listQueues(target, undefined);
  const dlqs = deadLetterQueues(all);
  const exact = all.find((q) => q.url === wanted || q.arn === wanted || q.name === wanted);
  if (exact) {
    const known = dlqs.find((d) => d.arn === exact.arn);
    return withRedriveTarget(target, known ?? { ...exact, sources: [] }, all);
  }
  const needle = wanted.toLowerCase();
  const partial = dlqs.filter((d) => d.name.toLowerCase().includes(needle));
  if (partial.length === 1) return withRedriveTarget(target, partial[0]!, all);
  if (partial.length > 1) {
    throw new CliError(
      `'${wanted}' matches ${partial.length} dead-letter queues: ${partial.map((d) => d.name).join(', ')}. ` +
        `Pass one full name (or URL).`,
      2,
    );
  }
  throw new CliError(
    `No queue is named '${wanted}' and no dead-letter queue's name contains it. ` +
      (dlqs.length
        ? `Dead-letter queues: ${dlqs.map((d) => d.name).join(', ')}.`
        : 'There is no dead-letter queue here; check --endpoint-url, --profile and --region.'),
    2,
  );
}

/** A source-less dead-letter queue with its `redrive-to` tag naming a known queue gets it as redriveTo. */
async function withRedriveTarget(
  target: AwsTarget,
  q: DeadLetterQueue,
  all: readonly QueueInfo[],
): Promise<DeadLetterQueue> {
  if (q.sources.length > 0) return q;
  const { Tags } = await target.sqs.send(new ListQueueTagsCommand({ QueueUrl: q.url }));
  const arn = Tags?.[REDRIVE_TO_TAG];
  const to = arn ? all.find((other) => other.arn === arn) : undefined;
  return to ? { ...q, redriveTo: to } : q;
}

export function depthOf(q: QueueInfo): { visible: number; inFlight: number; delayed: number } {
  const n = (k: string) => Number(q.attributes[k] ?? 0);
  return {
    visible: n('ApproximateNumberOfMessages'),
    inFlight: n('ApproximateNumberOfMessagesNotVisible'),
    delayed: n('ApproximateNumberOfMessagesDelayed'),
  };
}
