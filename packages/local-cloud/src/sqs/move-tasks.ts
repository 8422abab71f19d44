import { randomUUID } from 'node:crypto';
import type { Queue, QueueHost } from './queue.js';

export type MoveTaskStatus = 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';

/** SQS's "system optimized" rate when the caller sets none. */
const DEFAULT_RATE = 500;
const TICK_MS = 50;

/**
 * A dead-letter queue redrive (StartMessageMoveTask): moves the messages
 * available at start, at most `rate` per second, back to the queue each came
 * from or to `destinationArn`. Moved messages are new messages (new id,
 * sent time and receive count), as SQS documents.
 */
export class MoveTask {
  readonly taskId = randomUUID();
  readonly handle: string;
  readonly startedAt = Date.now();
  readonly toMove: number;
  status: MoveTaskStatus = 'RUNNING';
  moved = 0;
  failureReason: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Messages it may move now: grows by rate x tick, so slow rates move one every few ticks. */
  private budget = 1;

  constructor(
    private readonly source: Queue,
    private readonly host: QueueHost,
    readonly destinationArn: string | undefined,
    readonly maxPerSecond: number | undefined,
  ) {
    this.handle = Buffer.from(
      JSON.stringify({ taskId: this.taskId, sourceArn: source.arn }),
    ).toString('base64');
    this.toMove = source.counts().visible;
    this.timer = setTimeout(() => this.tick(), 0);
  }

  cancel(): void {
    this.status = 'CANCELLING';
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.status === 'RUNNING' || this.status === 'CANCELLING') this.status = 'CANCELLED';
  }

  describe(): Record<string, unknown> {
    return {
      TaskHandle: this.status === 'RUNNING' ? this.handle : undefined,
      Status: this.status,
      SourceArn: this.source.arn,
      DestinationArn: this.destinationArn,
      MaxNumberOfMessagesPerSecond: this.maxPerSecond,
      ApproximateNumberOfMessagesMoved: this.moved,
      ApproximateNumberOfMessagesToMove: this.toMove,
      FailureReason: this.failureReason,
      StartedTimestamp: this.startedAt,
    };
  }

  private tick(): void {
    this.timer = undefined;
    if (this.status === 'CANCELLING') {
      this.status = 'CANCELLED';
      return;
    }
    const quota = Math.floor(this.budget);
    this.budget += ((this.maxPerSecond ?? DEFAULT_RATE) * TICK_MS) / 1000 - quota;
    if (quota === 0) {
      this.timer = setTimeout(() => this.tick(), TICK_MS);
      return;
    }
    const batch = this.source.takeAvailable(Math.min(quota, this.toMove - this.moved));
    for (const [i, m] of batch.entries()) {
      const destArn = this.destinationArn ?? m.deadLetterSourceArn;
      const dest = destArn ? this.host.queueByArn(destArn) : undefined;
      if (!dest) {
        for (const back of batch.slice(i)) this.source.accept(back);
        this.status = 'FAILED';
        this.failureReason = destArn
          ? 'AWS.SimpleQueueService.NonExistentQueue'
          : 'CouldNotDetermineMessageSource';
        return;
      }
      const now = Date.now();
      dest.accept({
        ...m,
        id: randomUUID(),
        sentAt: now,
        visibleAt: now,
        receiveCount: 0,
        firstReceiveAt: undefined,
        receipt: undefined,
        deadLetterSourceArn: undefined,
      });
      this.moved++;
    }
    if (this.moved >= this.toMove || batch.length === 0) {
      this.status = 'COMPLETED';
      return;
    }
    this.timer = setTimeout(() => this.tick(), TICK_MS);
  }
}
