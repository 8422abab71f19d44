import type { ProjectionPointer, ReadPointer } from '../ports.js';

/**
 * How long a warm live consumer keeps the pointer it read. `npm run rebuild` waits this long
 * after naming a building version before it closes its replay window, and after making it
 * active before it deletes the old one, so an event projected on a stale pointer is still
 * replayed into the new version and never writes into a deleted one (ADR 16, docs/operations.md).
 */
export const POINTER_CACHE_MS = 3_000;

/**
 * The pointer as the live consumer reads it: at most once per `ttlMs` per warm container,
 * instead of one strongly consistent GetItem per event. Only for live events: a replayed
 * event reads the pointer fresh, since the building version it goes to was named moments ago.
 */
export function cachedPointer(
  read: ReadPointer,
  ttlMs = POINTER_CACHE_MS,
  now: () => number = Date.now,
): ReadPointer {
  let cached: { pointer: ProjectionPointer; until: number } | undefined;
  return async () => {
    const at = now();
    if (cached && at < cached.until) return structuredClone(cached.pointer);
    const pointer = await read();
    // Read before the call: the entry never outlives ttlMs from when the read began.
    cached = { pointer, until: at + ttlMs };
    return structuredClone(pointer);
  };
}
