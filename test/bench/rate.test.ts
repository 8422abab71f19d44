import { describe, expect, it } from 'vitest';
import { rate, sleep } from '@shop/local-cloud/bench';

describe('rate', () => {
  it('counts every worker’s units: 8 concurrent workers add up, not overwrite each other', async () => {
    let calls = 0;
    const perSecond = await rate(
      async () => {
        await sleep(5);
        calls++;
        return 1;
      },
      200,
      8,
    );
    // The rate is the calls made over the elapsed time (about 200 ms, a little more).
    expect(perSecond).toBeGreaterThan((calls / 0.4) * 0.99);
    expect(calls).toBeGreaterThan(8);
  });
});
