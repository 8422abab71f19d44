/**
 * Where a value of a view came from: the rank of its kind of event (a later
 * step of the journey outranks an earlier one), then the event's time and id.
 * Keeping the greatest stamp per aspect is a join: commutative, associative
 * and idempotent, so any order and any duplicates of the same events give the
 * same view, and a late event never rolls a view back.
 */
export interface Stamp {
  readonly rank: number;
  /** UTC ISO-8601 (normalized), so stamps compare as strings. */
  readonly at: string;
  readonly eventId: string;
}

export function compareStamps(a: Stamp, b: Stamp): number {
  if (a.rank !== b.rank) return a.rank - b.rank;
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  return a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
}

/** The value with the greater stamp (the one already held when they are equal). */
export function latest<T extends { stamp: Stamp }>(held: T | undefined, offered: T): T {
  return held === undefined || compareStamps(offered.stamp, held.stamp) > 0 ? offered : held;
}
