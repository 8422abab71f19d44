/**
 * What a FIFO queue adds to a standard one: the 5-minute deduplication
 * window (per queue or per message group), sequence numbers, and the rule
 * that a message group with a message in flight delivers nothing more until
 * that message is deleted or visible again, which keeps each group in order.
 * Semantics from "Amazon SQS FIFO queues" in the SQS developer guide,
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-fifo-queues.html
 */
import { createHash } from 'node:crypto';
import type { QueueConfig } from './attributes.js';
import type { StoredMessage } from './message.js';

export const DEDUPLICATION_WINDOW_MS = 5 * 60_000;

interface Sent {
  messageId: string;
  sequenceNumber: string;
  at: number;
}

export class FifoState {
  private readonly sent = new Map<string, Sent>();
  // 20 digits, growing: the shape of SQS's sequence numbers.
  private sequence = 10n ** 19n;

  /** The deduplication id SQS uses: the given one, else the SHA-256 of the body. */
  static deduplicationId(body: string, given: string | undefined): string {
    return given ?? createHash('sha256').update(body).digest('hex');
  }

  /** The message an earlier send with this deduplication id made, within the window. */
  duplicateOf(config: QueueConfig, group: string, dedupId: string, now: number): Sent | undefined {
    this.prune(now);
    return this.sent.get(this.key(config, group, dedupId));
  }

  remember(config: QueueConfig, group: string, dedupId: string, messageId: string, now: number) {
    const sequenceNumber = String(++this.sequence);
    this.sent.set(this.key(config, group, dedupId), { messageId, sequenceNumber, at: now });
    return sequenceNumber;
  }

  nextSequenceNumber(): string {
    return String(++this.sequence);
  }

  /** Groups that may not deliver now: a message in flight, or an earlier one not yet visible. */
  static blockedGroups(messages: Iterable<StoredMessage>, now: number): Set<string> {
    const blocked = new Set<string>();
    for (const m of messages) {
      if (m.messageGroupId !== undefined && m.visibleAt > now) blocked.add(m.messageGroupId);
    }
    return blocked;
  }

  private key(config: QueueConfig, group: string, dedupId: string): string {
    return config.DeduplicationScope === 'messageGroup' ? `${group}\u0000${dedupId}` : dedupId;
  }

  private prune(now: number): void {
    for (const [key, s] of this.sent) {
      if (now - s.at < DEDUPLICATION_WINDOW_MS) break; // insertion order is time order
      this.sent.delete(key);
    }
  }
}
