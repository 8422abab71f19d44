import type { Queue } from '../sqs/queue.js';
import type { SqsService } from '../sqs/service.js';
import type { FailureReason, FailureReasons } from './failure-reasons.js';

/**
 * The tag a dead-letter queue that no RedrivePolicy names carries to say where its messages go
 * back to (a schedule's DLQ); the same tag `npm run dlq -- redrive` follows.
 */
export const REDRIVE_TO_TAG = 'redrive-to';

export interface QueueFigures {
  name: string;
  arn: string;
  url: string;
  visible: number;
  inFlight: number;
  delayed: number;
  /** Seconds since the oldest stored message was sent; undefined when empty. */
  oldestAgeSeconds: number | undefined;
  /** The queue is a dead-letter queue: some RedrivePolicy names it, or it has a redrive-to tag. */
  deadLetter: boolean;
  /** Where its messages go back to on redrive (DLQs only). */
  redriveTo: string[];
  /** No RedrivePolicy names it; its redrive-to tag does: moved message by message. */
  redriveByTag?: boolean;
  /** The stream mapping whose failed batches land here (an OnFailure destination): no redrive. */
  failedBatchesOf?: string;
  /** Its own dead-letter queue's ARN (source queues). */
  deadLetterTargetArn?: string;
  maxReceiveCount?: number;
}

export interface DeadLetter {
  messageId: string;
  body: string;
  sentAt: string;
  receiveCount: number;
  /** The queue it was dead-lettered from (by a RedrivePolicy), if any. */
  sourceArn?: string;
  /** Why: the last failure the consuming function logged for the message. */
  reason?: FailureReason;
  /** When moved by a redrive policy: after how many receives. */
  maxReceiveCount?: number;
}

export interface RedriveOutcome {
  queue: string;
  moved: number;
  to: string[];
  how: 'StartMessageMoveTask' | 'message by message';
}

const nameOf = (arn: string) => arn.split(':').at(-1)!;

/** Queues as the console shows them, read from the SQS service in process (no call is counted). */
export class ConsoleQueues {
  constructor(
    private readonly sqs: SqsService,
    private readonly reasons: FailureReasons,
    private readonly failureDestinations: () => Map<string, string> = () => new Map(),
  ) {}

  list(): QueueFigures[] {
    const arns = this.sqs.listQueueArns();
    const policies = new Map<string, { deadLetterTargetArn: string; maxReceiveCount: number }>();
    for (const arn of arns) {
      const policy = this.redrivePolicy(arn);
      if (policy) policies.set(arn, policy);
    }
    const now = Date.now();
    const onFailure = this.failureDestinations();
    return arns
      .map((arn) => {
        const q = this.sqs.queueByArn(arn)!;
        const counts = q.counts();
        const oldest = q.oldestSentAt();
        const sources = [...policies]
          .filter(([, p]) => p.deadLetterTargetArn === arn)
          .map(([s]) => s);
        const tagged = q.tags[REDRIVE_TO_TAG];
        const redriveTo = sources.length > 0 ? sources : tagged ? [tagged] : [];
        const own = policies.get(arn);
        return {
          name: nameOf(arn),
          arn,
          url: this.sqs.queueUrlFromArn(arn),
          visible: counts.visible,
          inFlight: counts.inFlight,
          delayed: counts.delayed,
          oldestAgeSeconds:
            oldest === undefined ? undefined : Math.max(0, Math.round((now - oldest) / 1000)),
          deadLetter: redriveTo.length > 0 || onFailure.has(arn),
          redriveTo,
          ...(sources.length === 0 && !!tagged && { redriveByTag: true }),
          ...(onFailure.has(arn) && { failedBatchesOf: onFailure.get(arn) }),
          ...(own && {
            deadLetterTargetArn: own.deadLetterTargetArn,
            maxReceiveCount: own.maxReceiveCount,
          }),
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Up to `max` messages of a queue, left where they are, each with why it failed. */
  messages(name: string, max = 50): DeadLetter[] {
    const q = this.byName(name);
    const maxReceives = (arn?: string) =>
      arn ? this.redrivePolicy(arn)?.maxReceiveCount : undefined;
    return q.peek(max).map((m) => ({
      messageId: m.id,
      body: m.body,
      sentAt: new Date(m.sentAt).toISOString(),
      receiveCount: m.receiveCount,
      ...(m.deadLetterSourceArn && { sourceArn: m.deadLetterSourceArn }),
      ...(this.reasons.of(m.id) && { reason: this.reasons.of(m.id) }),
      ...(maxReceives(m.deadLetterSourceArn) !== undefined && {
        maxReceiveCount: maxReceives(m.deadLetterSourceArn),
      }),
    }));
  }

  /**
   * What `npm run dlq -- redrive` does: a DLQ some RedrivePolicy names goes back to its source by
   * StartMessageMoveTask (SQS's own redrive); one with a redrive-to tag, message by message.
   */
  async redrive(name: string): Promise<RedriveOutcome> {
    const q = this.byName(name);
    const arn = q.arn;
    const figures = this.list().find((f) => f.arn === arn)!;
    if (!figures.deadLetter) {
      throw new ConsoleError(
        400,
        `Queue ${name} is not a dead-letter queue: no RedrivePolicy names it and it has no ${REDRIVE_TO_TAG} tag.`,
      );
    }
    if (figures.failedBatchesOf) {
      throw new ConsoleError(
        409,
        `Queue ${name} holds failed stream batches of ${figures.failedBatchesOf}: each message names table records, not an event to send again. Read them (the queue's messages), fix the cause; the records are still in the table's stream for 24 hours.`,
      );
    }
    const before = q.counts().visible;
    if (!figures.redriveByTag) {
      // With one source queue, name it: a message sent to the DLQ by hand has no source of its own.
      await this.sqs.handle('StartMessageMoveTask', {
        SourceArn: arn,
        ...(figures.redriveTo.length === 1 && { DestinationArn: figures.redriveTo[0] }),
      });
      await this.waitForMoveTasks(arn);
      return {
        queue: name,
        moved: before - q.counts().visible,
        to: figures.redriveTo,
        how: 'StartMessageMoveTask',
      };
    }
    const tagged = figures.redriveTo[0]!;
    const destination = this.sqs.queueByArn(tagged);
    if (!destination) {
      throw new ConsoleError(
        409,
        `Queue ${name}'s ${REDRIVE_TO_TAG} tag names ${tagged}, which does not exist.`,
      );
    }
    let moved = 0;
    for (const m of q.takeAvailable(Number.MAX_SAFE_INTEGER)) {
      destination.accept({
        ...m,
        receiveCount: 0,
        firstReceiveAt: undefined,
        receipt: undefined,
        visibleAt: Date.now(),
        deadLetterSourceArn: undefined,
      });
      moved++;
    }
    return { queue: name, moved, to: [tagged], how: 'message by message' };
  }

  private byName(name: string): Queue {
    const arn = this.sqs.listQueueArns().find((a) => nameOf(a) === name);
    const q = arn ? this.sqs.queueByArn(arn) : undefined;
    if (!q)
      throw new ConsoleError(404, `No queue named ${name}; GET /_console/api/queues lists them.`);
    return q;
  }

  private redrivePolicy(
    arn: string,
  ): { deadLetterTargetArn: string; maxReceiveCount: number } | undefined {
    const raw = this.sqs.getQueueAttributes(arn, ['RedrivePolicy'])['RedrivePolicy'];
    if (!raw) return undefined;
    try {
      const p = JSON.parse(raw) as {
        deadLetterTargetArn?: string;
        maxReceiveCount?: number | string;
      };
      return p.deadLetterTargetArn
        ? { deadLetterTargetArn: p.deadLetterTargetArn, maxReceiveCount: Number(p.maxReceiveCount) }
        : undefined;
    } catch {
      return undefined;
    }
  }

  private async waitForMoveTasks(arn: string): Promise<void> {
    const until = Date.now() + 30_000;
    while (Date.now() < until) {
      const out = (await this.sqs.handle('ListMessageMoveTasks', { SourceArn: arn })) as {
        Results?: { Status?: string }[];
      };
      if (!(out.Results ?? []).some((t) => t.Status === 'RUNNING')) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** A console API error: its status and a message saying what to do. */
export class ConsoleError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
