/**
 * Fault injection (local/faults): SQS standard queues deliver at least once,
 * so a message that was received and deleted may still come back. With the
 * plan's duplicateRate, a deleted message is put back as a copy (new
 * MessageId, same body, attributes and SentTimestamp, receive count from 0)
 * after a random delay of up to reorderMaxDelayMs.
 */
import { randomUUID } from 'node:crypto';
import type { FaultInjector } from '../faults/plan.js';
import type { StoredMessage } from './message.js';
import type { Queue } from './queue.js';

export class Redeliveries {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly faults: FaultInjector,
    /** Is this queue still the live one of its name (not deleted meanwhile)? */
    private readonly alive: (queue: Queue) => boolean,
  ) {}

  /** Called for every message a delete really removed; usually decides "no". */
  deleted(queue: Queue, message: StoredMessage): void {
    if (!this.faults.roll('duplicate', queue.arn)) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.alive(queue)) queue.accept(copyOf(message));
    }, this.faults.delayMs());
    timer.unref();
    this.timers.add(timer);
  }

  /** Duplicates not yet put back. */
  get pending(): number {
    return this.timers.size;
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}

function copyOf(m: StoredMessage): StoredMessage {
  return {
    ...m,
    id: randomUUID(),
    visibleAt: Date.now(),
    receiveCount: 0,
    firstReceiveAt: undefined,
    receipt: undefined,
  };
}
