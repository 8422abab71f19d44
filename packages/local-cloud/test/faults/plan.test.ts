/** The fault injector: determinism per seed, rates over many draws, plan validation. */
import { describe, expect, it } from 'vitest';
import {
  checkPlan,
  FaultInjector,
  FaultPlanError,
  NO_FAULTS,
  type FaultKind,
} from '../../src/faults/plan.js';

const draws = (f: FaultInjector, kind: FaultKind, n: number) =>
  Array.from({ length: n }, () => f.roll(kind));

describe('FaultInjector', () => {
  it('is off by default, and off means no fault, no delay, no count', () => {
    const f = new FaultInjector();
    expect(f.enabled()).toBe(false);
    expect(f.plan()).toEqual(NO_FAULTS);
    expect(f.roll('handlerError')).toBe(false);
    expect(f.delayMs()).toBe(0);
    expect(Object.values(f.stats()).every((n) => n === 0)).toBe(true);
  });

  it('gives the same decisions for the same seed, per kind, whatever the other kinds draw', () => {
    const plan = { seed: 42, handlerErrorRate: 0.5, duplicateRate: 0.3, reorderMaxDelayMs: 500 };
    const a = new FaultInjector(plan);
    const b = new FaultInjector(plan);
    const first = draws(a, 'handlerError', 200);
    // b interleaves draws of other kinds: handlerError's sequence must not change.
    const second: boolean[] = [];
    for (let i = 0; i < 200; i++) {
      b.roll('duplicate');
      b.delayMs();
      second.push(b.roll('handlerError'));
    }
    expect(second).toEqual(first);
    expect(first.some(Boolean) && !first.every(Boolean)).toBe(true);

    const other = new FaultInjector({ ...plan, seed: 43 });
    expect(draws(other, 'handlerError', 200)).not.toEqual(first);
  });

  it('restarts the sequences when a plan is set again, and delays are seeded too', () => {
    const f = new FaultInjector({ seed: 7, duplicateRate: 0.5, reorderMaxDelayMs: 1000 });
    const once = [draws(f, 'duplicate', 50), Array.from({ length: 50 }, () => f.delayMs())];
    f.set({ seed: 7, duplicateRate: 0.5, reorderMaxDelayMs: 1000 });
    const again = [draws(f, 'duplicate', 50), Array.from({ length: 50 }, () => f.delayMs())];
    expect(again).toEqual(once);
  });

  it('honours rates over many draws, within a tolerance', () => {
    const n = 20_000;
    for (const rate of [0, 0.05, 0.2, 0.5, 1]) {
      const f = new FaultInjector({ seed: 1, putEventsThrottleRate: rate });
      const hits = draws(f, 'putEventsThrottle', n).filter(Boolean).length;
      expect(Math.abs(hits / n - rate)).toBeLessThan(0.015);
      expect(f.stats().putEventsThrottle).toBe(hits);
    }
  });

  it('adds faults, never moves them, when a rate is raised under the same seed', () => {
    const low = draws(new FaultInjector({ seed: 9, killWorkerRate: 0.1 }), 'killWorker', 500);
    const high = draws(new FaultInjector({ seed: 9, killWorkerRate: 0.3 }), 'killWorker', 500);
    low.forEach((hit, i) => hit && expect(high[i]).toBe(true));
  });

  it('draws delays across 0..reorderMaxDelayMs', () => {
    const f = new FaultInjector({ seed: 3, reorderMaxDelayMs: 100 });
    const delays = Array.from({ length: 2000 }, () => f.delayMs());
    expect(Math.min(...delays)).toBe(0);
    expect(Math.max(...delays)).toBe(100);
    expect(delays.every(Number.isInteger)).toBe(true);
    expect(f.stats().delayed).toBe(delays.filter((d) => d > 0).length);
  });

  it('limits function faults to the functions named, without drawing for the others', () => {
    const f = new FaultInjector({ seed: 5, handlerErrorRate: 1, functions: ['PlaceOrder'] });
    expect(f.roll('handlerError', 'Shop-Orders-PlaceOrderAB12\nShop-Orders/PlaceOrder')).toBe(true);
    expect(f.roll('handlerError', 'Shop-Payments-Charge\nShop-Payments/Charge')).toBe(false);
    expect(f.stats().handlerError).toBe(1);
    // The filter is about functions: other kinds are not limited by it.
    f.set({ seed: 5, duplicateRate: 1, functions: ['PlaceOrder'] });
    expect(f.roll('duplicate', 'arn:aws:sqs:us-east-1:000000000000:queue')).toBe(true);
  });

  it('clears: faults off, plan and counts still readable', () => {
    const f = new FaultInjector({ seed: 1, duplicateRate: 1 });
    f.roll('duplicate');
    f.clear();
    expect(f.enabled()).toBe(false);
    expect(f.roll('duplicate')).toBe(false);
    expect(f.plan().duplicateRate).toBe(1);
    expect(f.stats().duplicate).toBe(1);
  });

  it('merges a plan over NO_FAULTS, not over the previous plan', () => {
    const f = new FaultInjector({ seed: 1, duplicateRate: 1 });
    f.set({ handlerErrorRate: 0.5 });
    expect(f.plan()).toEqual({ ...NO_FAULTS, handlerErrorRate: 0.5 });
  });

  it('refuses an invalid plan and keeps the one it had', () => {
    const f = new FaultInjector({ seed: 1, duplicateRate: 0.5 });
    expect(() => f.set({ duplicateRate: 2 })).toThrow(FaultPlanError);
    expect(f.plan().duplicateRate).toBe(0.5);
    expect(f.enabled()).toBe(true);
  });
});

describe('checkPlan', () => {
  const fieldOf = (input: unknown) => {
    try {
      checkPlan(input);
    } catch (e) {
      return { field: (e as FaultPlanError).field, message: (e as Error).message };
    }
    return undefined;
  };

  it('accepts every field in range', () => {
    const plan = {
      seed: 4294967295,
      handlerErrorRate: 0,
      handlerTimeoutRate: 1,
      killWorkerRate: 0.25,
      duplicateRate: 0.1,
      reorderMaxDelayMs: 60_000,
      putEventsThrottleRate: 0.5,
      functions: ['Orders'],
    };
    expect(checkPlan(plan)).toEqual(plan);
    expect(checkPlan({})).toEqual({});
  });

  it.each([
    [{ handlerErrorRate: 1.5 }, 'handlerErrorRate', 'from 0 to 1'],
    [{ handlerTimeoutRate: -0.1 }, 'handlerTimeoutRate', 'from 0 to 1'],
    [{ killWorkerRate: '0.5' }, 'killWorkerRate', 'received "0.5"'],
    [{ duplicateRate: null }, 'duplicateRate', 'received null'],
    [{ putEventsThrottleRate: Number.NaN }, 'putEventsThrottleRate', 'from 0 to 1'],
    [{ seed: 1.5 }, 'seed', 'integer from 0 to 4294967295'],
    [{ seed: -1 }, 'seed', 'integer from 0 to 4294967295'],
    [{ reorderMaxDelayMs: 60_001 }, 'reorderMaxDelayMs', 'from 0 to 60000'],
    [{ reorderMaxDelayMs: 10.5 }, 'reorderMaxDelayMs', 'integer'],
    [{ functions: 'Orders' }, 'functions', 'list of non-empty strings'],
    [{ functions: [''] }, 'functions', 'list of non-empty strings'],
    [{ handlerErrorrate: 0.1 }, 'handlerErrorrate', 'Unknown fault plan field'],
    [[1], '(body)', 'JSON object'],
    ['0.2', '(body)', 'JSON object'],
  ])('refuses %j, naming %s', (input, field, words) => {
    const got = fieldOf(input);
    expect(got?.field).toBe(field);
    expect(got?.message).toContain(words);
  });
});
