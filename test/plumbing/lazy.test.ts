import { describe, expect, it } from 'vitest';
import { lazyHandler, once } from '#plumbing/lazy.js';
import { context } from '../support/lambda-events.js';

describe('once', () => {
  it('builds on the first call, not before, and reuses the value after', () => {
    let builds = 0;
    const value = once(() => ({ n: ++builds }));
    expect(builds).toBe(0);
    const first = value();
    expect(value()).toBe(first);
    expect(builds).toBe(1);
  });

  it('keeps an undefined value built once', () => {
    let builds = 0;
    const value = once(() => void builds++);
    value();
    value();
    expect(builds).toBe(1);
  });

  it('tries again after a build that threw (say, an environment variable set later)', () => {
    const env: { TABLE_NAME?: string } = {};
    const value = once(() => {
      if (!env.TABLE_NAME) throw new Error('TABLE_NAME is not set');
      return env.TABLE_NAME;
    });
    expect(value).toThrow('TABLE_NAME is not set');
    env.TABLE_NAME = 'orders';
    expect(value()).toBe('orders');
  });
});

describe('lazyHandler', () => {
  it('builds the handler on its first invocation and passes every invocation to it', async () => {
    let builds = 0;
    const handler = lazyHandler(() => {
      builds++;
      return async (event: number) => event * 2;
    });
    expect(builds).toBe(0);
    expect(await handler(1, context)).toBe(2);
    expect(await handler(21, context)).toBe(42);
    expect(builds).toBe(1);
  });
});
