import { describe, expect, it } from 'vitest';
import { cachedPointer } from '../../../../functions/views/adapters/pointer-cache.js';
import type { ProjectionPointer } from '../../../../functions/views/ports.js';

describe('cachedPointer', () => {
  it('reads once per ttl, then again once the entry has expired', async () => {
    let clock = 0;
    let reads = 0;
    let pointer: ProjectionPointer = { active: 1 };
    const read = cachedPointer(
      async () => {
        reads++;
        return pointer;
      },
      3_000,
      () => clock,
    );
    expect(await read()).toEqual({ active: 1 });
    pointer = { active: 1, building: 2 };
    clock = 2_999;
    expect(await read()).toEqual({ active: 1 });
    expect(reads).toBe(1);
    clock = 3_000;
    expect(await read()).toEqual({ active: 1, building: 2 });
    expect(reads).toBe(2);
  });

  it('hands out copies: a caller that changes its pointer changes no one else’s', async () => {
    const read = cachedPointer(
      async () => ({ active: 1 }),
      3_000,
      () => 0,
    );
    const first = await read();
    first.active = 9;
    expect(await read()).toEqual({ active: 1 });
  });
});
