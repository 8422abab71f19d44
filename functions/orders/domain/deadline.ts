import { createHash } from 'node:crypto';

/**
 * An order's deadline: when it was placed plus the configured time, rounded up
 * to the whole second (a schedule's `at()` has second resolution, and a
 * deadline must never fire early).
 */
export function deadlineOf(placedAt: string, deadlineSeconds: number): Date {
  const placed = Date.parse(placedAt);
  if (Number.isNaN(placed)) {
    throw new Error(`placedAt must be an ISO timestamp, got "${placedAt}".`);
  }
  return new Date(Math.ceil((placed + deadlineSeconds * 1000) / 1000) * 1000);
}

/**
 * When the schedule fires: the deadline, or a minute from now if the stream
 * brought the order so late that the deadline has already passed (a one-time
 * schedule in the past never fires; a minute is Scheduler's own precision).
 */
export function fireAt(deadline: Date, now: Date): Date {
  const earliest = Math.ceil((now.getTime() + 60_000) / 1000) * 1000;
  return deadline.getTime() > now.getTime() ? deadline : new Date(earliest);
}

/**
 * The deadline event's id, derived from the order id (a name-based UUID, RFC
 * 9562 version 5 layout over SHA-256): every firing of one order's schedule
 * carries the same id, so consumers deduplicate a second firing.
 */
export function deadlineEventId(orderId: string): string {
  const bytes = createHash('sha256').update(`order-deadline:${orderId}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
