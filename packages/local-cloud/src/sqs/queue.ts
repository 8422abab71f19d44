import { randomUUID } from 'node:crypto';
import type { QueueConfig } from './attributes.js';
import { invalidParameters, invalidValue, sqsError } from './errors.js';
import { FifoState } from './fifo.js';
import { newMessage, type MessageContent, type StoredMessage } from './message.js';

/** What a queue needs from the rest of SQS: finding its dead-letter queue. */
export interface QueueHost {
  queueByArn(arn: string): Queue | undefined;
}

/** One delivery of a message by ReceiveMessage, frozen at the moment of receipt. */
export interface Delivery {
  message: StoredMessage;
  receipt: string;
  receiveCount: number;
  firstReceiveAt: number;
}

export interface ReceiveOptions {
  max: number;
  visibilityTimeout?: number;
  waitSeconds: number;
  /** Ends the long poll empty, taking nothing: a poller that stops leaves no message in flight. */
  signal?: AbortSignal;
}

interface Waiter {
  max: number;
  visibilityTimeout?: number;
  resolve(d: Delivery[]): void;
  timer: NodeJS.Timeout;
}

export interface QueueCounts {
  visible: number;
  inFlight: number;
  delayed: number;
}

const RECEIPT = /^([A-Za-z0-9_.-]{1,80})\/([0-9a-f-]{36})\/(\d+)$/;

/** What SendMessage answers: a FIFO duplicate answers the first send's id and sequence number. */
export interface SendOutcome {
  id: string;
  sequenceNumber?: string;
}

/**
 * A standard or FIFO queue. Time is evaluated lazily: a message is available when
 * `visibleAt <= now`, delayed before its first receipt, in flight after.
 * Long polls wait on a list of waiters woken by sends, by visibility
 * changes and by one timer set for the next message to become visible.
 */
export class Queue {
  readonly createdAt = Math.floor(Date.now() / 1000);
  lastModifiedAt = this.createdAt;
  tags: Record<string, string> = {};
  lastPurgeAt = -Infinity;
  private readonly messages = new Map<string, StoredMessage>();
  private readonly waiters: Waiter[] = [];
  private wakeTimer: NodeJS.Timeout | undefined;
  private wakeAt = Infinity;
  private receiptSeq = 0;
  private readonly fifoState: FifoState | undefined;

  constructor(
    readonly name: string,
    readonly arn: string,
    readonly url: string,
    public config: QueueConfig,
    private readonly host: QueueHost,
  ) {
    if (config.FifoQueue) this.fifoState = new FifoState();
  }

  get fifo(): boolean {
    return this.fifoState !== undefined;
  }

  send(content: MessageContent): SendOutcome {
    const now = Date.now();
    const fifo = this.fifoState;
    if (!fifo) {
      const m = newMessage(randomUUID(), content, now, this.config.DelaySeconds);
      this.messages.set(m.id, m);
      this.wake();
      return { id: m.id };
    }
    if (content.deduplicationId === undefined && !this.config.ContentBasedDeduplication) {
      throw invalidParameters(
        'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
      );
    }
    const group = content.messageGroupId!;
    const dedupId = FifoState.deduplicationId(content.body, content.deduplicationId);
    // Within 5 minutes a repeated deduplication id is accepted and not enqueued again.
    const earlier = fifo.duplicateOf(this.config, group, dedupId, now);
    if (earlier) return { id: earlier.messageId, sequenceNumber: earlier.sequenceNumber };
    const m = newMessage(randomUUID(), content, now, this.config.DelaySeconds);
    m.deduplicationId = dedupId;
    m.sequenceNumber = fifo.remember(this.config, group, dedupId, m.id, now);
    this.messages.set(m.id, m);
    this.wake();
    return { id: m.id, sequenceNumber: m.sequenceNumber };
  }

  /** Takes a message moved here by a redrive policy or a move task. */
  accept(m: StoredMessage): void {
    if (this.fifoState) m.sequenceNumber = this.fifoState.nextSequenceNumber();
    this.messages.set(m.id, m);
    this.wake();
  }

  receive(o: ReceiveOptions): Promise<Delivery[]> {
    // A poll ended before it began takes nothing.
    if (o.signal?.aborted) return Promise.resolve([]);
    const now = this.take(o.max, o.visibilityTimeout);
    if (now.length > 0 || o.waitSeconds === 0) return Promise.resolve(now);
    return new Promise((resolve) => {
      const { signal } = o;
      const end = () => {
        clearTimeout(waiter.timer);
        this.removeWaiter(waiter);
        resolve([]);
      };
      const waiter: Waiter = {
        max: o.max,
        visibilityTimeout: o.visibilityTimeout,
        resolve: (d) => {
          signal?.removeEventListener('abort', end);
          resolve(d);
        },
        timer: setTimeout(() => {
          signal?.removeEventListener('abort', end);
          this.removeWaiter(waiter);
          resolve([]);
        }, o.waitSeconds * 1000),
      };
      signal?.addEventListener('abort', end, { once: true });
      this.waiters.push(waiter);
      this.scheduleWake();
    });
  }

  /** Returns the message if this removed it (fault injection may deliver it again). */
  delete(receipt: string): StoredMessage | undefined {
    const id = this.parseReceipt(receipt);
    const m = this.messages.get(id);
    // An older receipt handle "succeeds" without deleting, as in SQS.
    if (!m || m.receipt !== receipt) return undefined;
    this.messages.delete(id);
    return m;
  }

  /**
   * Any receipt handle the message was received with works, not only the
   * latest: SQS applies an older one to the message as it is now. A message
   * that is not in flight (its visibility timeout lapsed) is left as it is,
   * and SQS still answers 200.
   */
  changeVisibility(receipt: string, seconds: number): void {
    const id = this.parseReceipt(receipt);
    const m = this.messages.get(id);
    if (!m || m.receipt === undefined) {
      throw invalidValue(
        'ReceiptHandle',
        receipt,
        'Message does not exist or is not available for visibility timeout change.',
      );
    }
    const now = Date.now();
    if (m.visibleAt <= now) return;
    m.visibleAt = now + seconds * 1000;
    this.wake();
  }

  purge(): void {
    this.messages.clear();
    this.lastPurgeAt = Date.now();
  }

  counts(): QueueCounts {
    const now = Date.now();
    const c: QueueCounts = { visible: 0, inFlight: 0, delayed: 0 };
    for (const m of this.messages.values()) {
      if (this.expired(m, now)) continue;
      if (m.visibleAt <= now) c.visible++;
      else if (m.receipt === undefined) c.delayed++;
      else c.inFlight++;
    }
    return c;
  }

  /** When the oldest stored message was sent (epoch ms), or undefined when the queue is empty. */
  oldestSentAt(): number | undefined {
    const now = Date.now();
    let oldest: number | undefined;
    for (const m of this.messages.values()) {
      if (!this.expired(m, now) && (oldest === undefined || m.sentAt < oldest)) oldest = m.sentAt;
    }
    return oldest;
  }

  /** Up to `max` stored messages, oldest first, left as they are (the console's look into a DLQ). */
  peek(max: number): StoredMessage[] {
    const now = Date.now();
    const out: StoredMessage[] = [];
    for (const m of this.messages.values()) {
      if (out.length >= max) break;
      if (!this.expired(m, now)) out.push(m);
    }
    return out;
  }

  /** Removes up to `max` available messages, oldest first, without receiving them (move tasks). */
  takeAvailable(max: number): StoredMessage[] {
    const now = Date.now();
    const out: StoredMessage[] = [];
    for (const m of this.messages.values()) {
      if (out.length >= max) break;
      if (this.expired(m, now) || m.visibleAt > now) continue;
      this.messages.delete(m.id);
      out.push(m);
    }
    return out;
  }

  /** Ends every long poll with no messages (queue deleted or cloud stopping). */
  close(): void {
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.resolve([]);
    }
    this.clearWake();
  }

  private take(max: number, visibilityTimeout: number | undefined): Delivery[] {
    const now = Date.now();
    const out: Delivery[] = [];
    const redrive = this.config.RedrivePolicy;
    // FIFO: a group with a message in flight (or not yet visible) waits; order is send order.
    const blocked = this.fifoState
      ? FifoState.blockedGroups(this.messages.values(), now)
      : undefined;
    for (const m of this.messages.values()) {
      if (out.length >= max) break;
      if (this.expired(m, now) || m.visibleAt > now) continue;
      if (blocked && blocked.has(m.messageGroupId!)) continue;
      // SQS moves a message on the receive that would exceed maxReceiveCount.
      if (redrive && m.receiveCount >= redrive.maxReceiveCount) {
        const dlq = this.host.queueByArn(redrive.deadLetterTargetArn);
        if (dlq && dlq !== this) {
          this.messages.delete(m.id);
          dlq.accept({ ...m, receipt: undefined, visibleAt: now, deadLetterSourceArn: this.arn });
          continue;
        }
      }
      m.receiveCount++;
      m.firstReceiveAt ??= now;
      m.receipt = Buffer.from(`${this.name}/${m.id}/${++this.receiptSeq}`).toString('base64');
      m.visibleAt = now + (visibilityTimeout ?? this.config.VisibilityTimeout) * 1000;
      out.push({
        message: m,
        receipt: m.receipt,
        receiveCount: m.receiveCount,
        firstReceiveAt: m.firstReceiveAt,
      });
    }
    return out;
  }

  private expired(m: StoredMessage, now: number): boolean {
    if (now < m.sentAt + this.config.MessageRetentionPeriod * 1000) return false;
    this.messages.delete(m.id);
    return true;
  }

  private parseReceipt(receipt: string): string {
    const m = RECEIPT.exec(Buffer.from(String(receipt), 'base64').toString('utf8'));
    if (!m || m[1] !== this.name) {
      throw sqsError(
        'ReceiptHandleIsInvalid',
        `The input receipt handle "${receipt}" is not a valid receipt handle. (local cloud: it was not issued by queue ${this.name}.)`,
      );
    }
    return m[2]!;
  }

  private wake(): void {
    while (this.waiters.length > 0) {
      const w = this.waiters[0]!;
      const got = this.take(w.max, w.visibilityTimeout);
      if (got.length === 0) break;
      this.waiters.shift();
      clearTimeout(w.timer);
      w.resolve(got);
    }
    this.scheduleWake();
  }

  /** Sets one timer for the next moment a message becomes visible, while anyone waits. */
  private scheduleWake(): void {
    if (this.waiters.length === 0) return this.clearWake();
    const now = Date.now();
    let next = Infinity;
    for (const m of this.messages.values()) {
      if (m.visibleAt > now && m.visibleAt < next) next = m.visibleAt;
    }
    if (next === this.wakeAt) return;
    this.clearWake();
    if (next === Infinity) return;
    this.wakeAt = next;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined;
      this.wakeAt = Infinity;
      this.wake();
    }, next - now);
  }

  private clearWake(): void {
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    this.wakeAt = Infinity;
  }

  private removeWaiter(w: Waiter): void {
    const i = this.waiters.indexOf(w);
    if (i >= 0) this.waiters.splice(i, 1);
    if (this.waiters.length === 0) this.clearWake();
  }
}
