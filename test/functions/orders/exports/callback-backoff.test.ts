import { describe, expect, it } from 'vitest';
import {
  CALLBACK_MAX_RECEIVES,
  callbackRetryDelaySeconds,
  callbackRetrySpanSeconds,
} from '../../../../functions/orders/domain/exports/callback-backoff.js';

describe('callback backoff', () => {
  it('doubles from 10 s and stops growing at an hour', () => {
    const top = (n: number) => callbackRetryDelaySeconds(n, 1 - Number.EPSILON);
    expect([1, 2, 3, 4].map(top)).toEqual([10, 20, 40, 80]);
    expect(top(9)).toBe(2560);
    expect(top(10)).toBe(3600);
    expect(top(30)).toBe(3600);
  });

  it('jitters each delay within 80-100% of its step', () => {
    for (const n of [1, 5, 12]) {
      const step = Math.min(3600, 10 * 2 ** (n - 1));
      const low = callbackRetryDelaySeconds(n, 0);
      const mid = callbackRetryDelaySeconds(n, 0.5);
      expect(low).toBe(Math.round(step * 0.8));
      expect(mid).toBeGreaterThan(low);
      expect(mid).toBeLessThan(step);
    }
  });

  it('retries span about a day (21 to 27 hours) before the dead-letter queue', () => {
    const { shortest, longest } = callbackRetrySpanSeconds(CALLBACK_MAX_RECEIVES);
    expect(shortest).toBe(76_088);
    expect(longest).toBe(95_110);
    expect(callbackRetrySpanSeconds(CALLBACK_MAX_RECEIVES - 5).longest).toBeLessThan(24 * 3600);
  });
});
