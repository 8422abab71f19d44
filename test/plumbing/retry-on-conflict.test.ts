import { describe, expect, it } from 'vitest';
import { ConcurrentUpdateError } from '#plumbing/outbox.js';
import { retryOnConflict } from '#plumbing/retry-on-conflict.js';

const conflict = () => new ConcurrentUpdateError(['ConditionalCheckFailed']);

describe('retryOnConflict', () => {
  it('runs the attempt again after a lost race, and answers what the winning attempt answers', async () => {
    let calls = 0;
    const result = await retryOnConflict(async () => {
      if (++calls < 3) throw conflict();
      return 'stored';
    });
    expect(result).toBe('stored');
    expect(calls).toBe(3);
  });

  it('gives up after maxAttempts calls with the last conflict', async () => {
    let calls = 0;
    const failing = retryOnConflict(async () => {
      calls++;
      throw conflict();
    }, 3);
    await expect(failing).rejects.toBeInstanceOf(ConcurrentUpdateError);
    expect(calls).toBe(3);
  });

  it('does not retry any other error', async () => {
    let calls = 0;
    const failing = retryOnConflict(async () => {
      calls++;
      throw new Error('provider down');
    });
    await expect(failing).rejects.toThrow('provider down');
    expect(calls).toBe(1);
  });
});
