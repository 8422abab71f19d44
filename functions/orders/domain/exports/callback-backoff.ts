/**
 * When a failed callback is tried again: exponential backoff from 10 s,
 * doubling, capped at an hour, each delay drawn in [80%, 100%] of its step so
 * callbacks that failed together do not come back together.
 *
 * Steps before the cap: 10, 20, 40, ... 2560 s (9 retries, 5110 s in all), then
 * 3600 s. With CALLBACK_MAX_RECEIVES = 35 (the first try and 34 retries: 9
 * doubling, 25 capped) the retries span 0.8-1.0 x (5110 + 25 x 3600) s = 76,088
 * to 95,110 s, 21 to 26 hours: about a day, then the dead-letter queue.
 */
export const CALLBACK_BACKOFF = {
  baseSeconds: 10,
  capSeconds: 3600,
  /** Lowest share of a step a jittered delay may take. */
  jitterFloor: 0.8,
} as const;

/** Receives of a callback message before it is dead-lettered (the queue's maxReceiveCount). */
export const CALLBACK_MAX_RECEIVES = 35;

/**
 * Seconds until the next try after the `receiveCount`-th failed one (1 = the
 * first try failed). `random` is in [0, 1).
 */
export function callbackRetryDelaySeconds(receiveCount: number, random: number): number {
  const { baseSeconds, capSeconds, jitterFloor } = CALLBACK_BACKOFF;
  const step = Math.min(capSeconds, baseSeconds * 2 ** Math.max(0, receiveCount - 1));
  return Math.max(1, Math.round(step * (jitterFloor + (1 - jitterFloor) * random)));
}

/** The longest and shortest total the retries can span, in seconds (what the doc above states). */
export function callbackRetrySpanSeconds(maxReceives = CALLBACK_MAX_RECEIVES) {
  let longest = 0;
  let shortest = 0;
  for (let n = 1; n < maxReceives; n++) {
    longest += callbackRetryDelaySeconds(n, 1 - Number.EPSILON);
    shortest += callbackRetryDelaySeconds(n, 0);
  }
  return { shortest, longest };
}
