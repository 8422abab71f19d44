/** The manual clock tests use instead of waiting: what advance() fires, and when. */
import { describe, expect, it } from 'vitest';
import { ManualClock, systemClock } from '../../src/core/clock.js';

describe('ManualClock', () => {
  it('fires what falls due, in time order, each at its own time', async () => {
    const clock = new ManualClock(1_000);
    const seen: [string, number][] = [];
    clock.at(3_000, () => void seen.push(['b', clock.now()]));
    clock.at(2_000, () => void seen.push(['a', clock.now()]));
    clock.at(9_000, () => void seen.push(['late', clock.now()]));
    await clock.advance(5_000);
    expect(seen).toEqual([
      ['a', 2_000],
      ['b', 3_000],
    ]);
    expect(clock.now()).toBe(6_000);
    expect(clock.pendingTimes()).toEqual([9_000]);
  });

  it('fires timers that fired timers set, if they fall due in the same advance', async () => {
    const clock = new ManualClock(0);
    const seen: number[] = [];
    const tick = () => {
      seen.push(clock.now());
      clock.at(clock.now() + 100, tick);
    };
    clock.at(100, tick);
    await clock.advance(350);
    expect(seen).toEqual([100, 200, 300]);
  });

  it('waits for what a timer started before firing the next', async () => {
    const clock = new ManualClock(0);
    const seen: string[] = [];
    clock.at(10, async () => {
      await new Promise((r) => setImmediate(r));
      seen.push('first done');
    });
    clock.at(20, () => void seen.push('second'));
    await clock.advance(20);
    expect(seen).toEqual(['first done', 'second']);
  });

  it('a cancelled timer never fires; a timer in the past fires on the next advance', async () => {
    const clock = new ManualClock(0);
    const seen: string[] = [];
    clock.at(10, () => void seen.push('cancelled')).cancel();
    clock.at(-5, () => void seen.push('overdue'));
    await clock.advance(0);
    await clock.advance(100);
    expect(seen).toEqual(['overdue']);
  });

  it('refuses to go back', () => {
    expect(() => new ManualClock(0).advance(-1)).toThrow(/0 ms or more; received -1/);
  });
});

describe('systemClock', () => {
  it('fires a timer at its time, and not once cancelled', async () => {
    const seen: string[] = [];
    systemClock.at(Date.now() + 20, () => void seen.push('fired'));
    systemClock.at(Date.now() + 20, () => void seen.push('cancelled')).cancel();
    await new Promise((r) => setTimeout(r, 80));
    expect(seen).toEqual(['fired']);
  });
});
