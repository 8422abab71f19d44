import type { TimelineEntry } from './order-view.js';

const earlier = (a: TimelineEntry, b: TimelineEntry) =>
  a.occurredAt !== b.occurredAt ? a.occurredAt < b.occurredAt : a.eventId < b.eventId;

/**
 * The timeline in causal order: an event comes after the event that caused it
 * (whatever the clocks of the services that stamped them say), then by time,
 * then by eventId. An event whose cause is not in the timeline (the order's
 * HTTP request) is a root.
 */
export function causalOrder(entries: readonly TimelineEntry[]): TimelineEntry[] {
  const ids = new Set(entries.map((e) => e.eventId));
  const placed = new Set<string>();
  const waiting = [...entries];
  const out: TimelineEntry[] = [];
  while (waiting.length > 0) {
    let pick = -1;
    for (let i = 0; i < waiting.length; i++) {
      const e = waiting[i]!;
      const ready =
        !ids.has(e.causationId) || placed.has(e.causationId) || e.causationId === e.eventId;
      if (ready && (pick < 0 || earlier(e, waiting[pick]!))) pick = i;
    }
    // A cycle of causes cannot come from real events; break it by time rather than loop.
    if (pick < 0) pick = waiting.reduce((best, e, i) => (earlier(e, waiting[best]!) ? i : best), 0);
    const [next] = waiting.splice(pick, 1);
    placed.add(next!.eventId);
    out.push(next!);
  }
  return out;
}
