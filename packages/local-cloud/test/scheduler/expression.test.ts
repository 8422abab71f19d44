/**
 * Schedule expressions and their next occurrences, held to the user guide
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html)
 * and its daylight-saving rules: a cron time the clock skips in spring is
 * skipped, one it repeats in autumn runs once; a rate of days is 24 hours.
 */
import { describe, expect, it } from 'vitest';
import {
  ExpressionError,
  nextOccurrence,
  parseExpression,
  type ScheduleExpression,
} from '../../src/scheduler/expression.js';

const utc = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** The next `n` occurrences from `from`, in `zone`. */
function occurrences(text: string, from: string, n: number, zone = 'UTC', anchor = from): string[] {
  const expr = parseExpression(text);
  const out: string[] = [];
  let t = utc(from);
  for (let i = 0; i < n; i++) {
    const next = nextOccurrence(expr, t, { zone, anchorMs: utc(anchor) });
    if (next === undefined) break;
    out.push(iso(next)!);
    t = next + 1;
  }
  return out;
}

describe('at()', () => {
  it('reads the time in the schedule time zone', () => {
    const at = parseExpression('at(2026-07-01T09:00:00)');
    expect(iso(nextOccurrence(at, 0, { zone: 'UTC', anchorMs: 0 }))).toBe(
      '2026-07-01T09:00:00.000Z',
    );
    expect(iso(nextOccurrence(at, 0, { zone: 'Europe/Paris', anchorMs: 0 }))).toBe(
      '2026-07-01T07:00:00.000Z',
    );
    expect(iso(nextOccurrence(at, 0, { zone: 'Asia/Kolkata', anchorMs: 0 }))).toBe(
      '2026-07-01T03:30:00.000Z',
    );
  });

  it('a time the spring change skips fires as far past the gap as it was into it', () => {
    // Europe/Paris: 29 March 2026 02:00 -> 03:00; 02:30 is read as 03:30 CEST.
    const at = parseExpression('at(2026-03-29T02:30:00)');
    expect(iso(nextOccurrence(at, 0, { zone: 'Europe/Paris', anchorMs: 0 }))).toBe(
      '2026-03-29T01:30:00.000Z',
    );
  });

  it('has no occurrence once its time has passed', () => {
    const at = parseExpression('at(2026-07-01T09:00:00)');
    expect(
      nextOccurrence(at, utc('2026-07-01T09:00:01Z'), { zone: 'UTC', anchorMs: 0 }),
    ).toBeUndefined();
  });

  it('refuses what is not a date and time', () => {
    expect(() => parseExpression('at(2026-02-30T09:00:00)')).toThrow(ExpressionError);
    expect(() => parseExpression('at(2026-02-01T24:00:00)')).toThrow(/is not a date and time/);
    expect(() => parseExpression('at(2026-02-01 09:00:00)')).toThrow(
      /Use at\(yyyy-mm-ddThh:mm:ss\)/,
    );
  });
});

describe('rate()', () => {
  it('counts from its anchor, every period', () => {
    expect(
      occurrences('rate(15 minutes)', '2026-01-01T10:00:00Z', 3, 'UTC', '2026-01-01T09:50:00Z'),
    ).toEqual(['2026-01-01T10:05:00.000Z', '2026-01-01T10:20:00.000Z', '2026-01-01T10:35:00.000Z']);
  });

  it('a day is 24 hours, across a daylight-saving change', () => {
    // Europe/Paris springs forward on 29 March 2026; a rate does not follow the wall clock.
    expect(occurrences('rate(1 day)', '2026-03-28T09:00:00Z', 2, 'Europe/Paris')).toEqual([
      '2026-03-28T09:00:00.000Z',
      '2026-03-29T09:00:00.000Z',
    ]);
  });

  it('takes a singular unit for 1 only', () => {
    expect(parseExpression('rate(1 hour)')).toEqual({ kind: 'rate', periodMs: 3_600_000 });
    expect(parseExpression('rate(2 days)')).toEqual({ kind: 'rate', periodMs: 172_800_000 });
    for (const bad of [
      'rate(1 hours)',
      'rate(2 hour)',
      'rate(0 minutes)',
      'rate(5 seconds)',
      'rate(-1 minute)',
    ]) {
      expect(() => parseExpression(bad), bad).toThrow(ExpressionError);
    }
  });
});

describe('cron()', () => {
  it('every weekday at 08:15 in New York', () => {
    expect(
      occurrences('cron(15 8 ? * MON-FRI *)', '2026-01-09T00:00:00Z', 3, 'America/New_York'),
    ).toEqual([
      '2026-01-09T13:15:00.000Z', // Friday, EST
      '2026-01-12T13:15:00.000Z', // Monday
      '2026-01-13T13:15:00.000Z',
    ]);
  });

  it('steps, ranges, lists and names', () => {
    expect(occurrences('cron(0/20 9-10 1,15 JAN,FEB ? 2026)', '2026-01-01T00:00:00Z', 7)).toEqual([
      '2026-01-01T09:00:00.000Z',
      '2026-01-01T09:20:00.000Z',
      '2026-01-01T09:40:00.000Z',
      '2026-01-01T10:00:00.000Z',
      '2026-01-01T10:20:00.000Z',
      '2026-01-01T10:40:00.000Z',
      '2026-01-15T09:00:00.000Z',
    ]);
  });

  it('L in day-of-month: the last day; LW: the last weekday', () => {
    expect(occurrences('cron(0 12 L * ? 2026)', '2026-01-01T00:00:00Z', 3)).toEqual([
      '2026-01-31T12:00:00.000Z',
      '2026-02-28T12:00:00.000Z',
      '2026-03-31T12:00:00.000Z',
    ]);
    // 31 January 2026 is a Saturday, 28 February a Saturday.
    expect(occurrences('cron(0 12 LW * ? 2026)', '2026-01-01T00:00:00Z', 2)).toEqual([
      '2026-01-30T12:00:00.000Z',
      '2026-02-27T12:00:00.000Z',
    ]);
  });

  it('W: the weekday nearest a day, within its month', () => {
    // 1 February 2026 is a Sunday: Monday the 2nd. 1 August 2026 is a Saturday: Monday the 3rd.
    expect(occurrences('cron(0 12 1W * ? 2026)', '2026-02-01T00:00:00Z', 1)).toEqual([
      '2026-02-02T12:00:00.000Z',
    ]);
    expect(occurrences('cron(0 12 1W * ? 2026)', '2026-08-01T00:00:00Z', 1)).toEqual([
      '2026-08-03T12:00:00.000Z',
    ]);
    // 15 March 2026 is a Sunday: Monday the 16th; 14 March a Saturday: Friday the 13th.
    expect(occurrences('cron(0 12 15W * ? 2026)', '2026-03-01T00:00:00Z', 1)).toEqual([
      '2026-03-16T12:00:00.000Z',
    ]);
    expect(occurrences('cron(0 12 14W * ? 2026)', '2026-03-01T00:00:00Z', 1)).toEqual([
      '2026-03-13T12:00:00.000Z',
    ]);
  });

  it('# in day-of-week: the nth weekday; nL: the last one', () => {
    // Second Tuesday (3#2), last Friday (6L) of each month.
    expect(occurrences('cron(0 9 ? * 3#2 2026)', '2026-01-01T00:00:00Z', 2)).toEqual([
      '2026-01-13T09:00:00.000Z',
      '2026-02-10T09:00:00.000Z',
    ]);
    expect(occurrences('cron(0 9 ? * 6L 2026)', '2026-01-01T00:00:00Z', 2)).toEqual([
      '2026-01-30T09:00:00.000Z',
      '2026-02-27T09:00:00.000Z',
    ]);
  });

  it('skips a wall-clock time the spring change removes', () => {
    // Europe/Paris: 29 March 2026 02:00 -> 03:00, so 02:30 does not exist that day.
    expect(occurrences('cron(30 2 * * ? *)', '2026-03-28T00:00:00Z', 2, 'Europe/Paris')).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ]);
  });

  it('runs once in the hour the autumn change repeats', () => {
    // Europe/Paris: 25 October 2026 03:00 -> 02:00, so 02:30 happens twice; it runs at the first.
    expect(occurrences('cron(30 2 * * ? *)', '2026-10-25T00:00:00Z', 2, 'Europe/Paris')).toEqual([
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
    ]);
  });

  it('ends with its last year', () => {
    expect(occurrences('cron(0 0 1 1 ? 2026-2027)', '2026-01-01T00:00:00Z', 5)).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2027-01-01T00:00:00.000Z',
    ]);
  });

  const refused: [string, RegExp][] = [
    ['cron(0 12 * * ? )', /6 fields/],
    ['cron(0 12 1 * MON *)', /exactly one of day-of-month and day-of-week/],
    ['cron(0 12 ? * ? *)', /exactly one of day-of-month and day-of-week/],
    ['cron(60 12 * * ? *)', /minutes '60' is not allowed: use 0-59/],
    ['cron(0 24 * * ? *)', /hours '24' is not allowed/],
    ['cron(0 12 32 * ? *)', /day-of-month '32'/],
    ['cron(0 12 * 13 ? *)', /month '13' is not allowed: use 1-12 or JAN-DEC/],
    ['cron(0 12 ? * 8 *)', /day-of-week '8' is not allowed: use 1-7 or SUN-SAT/],
    ['cron(0 12 ? * 2#6 *)', /the number after # is 1 to 5/],
    ['cron(0 12 * * ? 1969)', /year '1969'/],
    ['cron(0/0 12 * * ? *)', /the step after \/ is a positive integer/],
    ['cron(30-10 12 * * ? *)', /a range goes from low to high/],
  ];
  it.each(refused)('refuses %s', (text, message) => {
    expect(() => parseExpression(text)).toThrow(message);
  });
});

describe('start and end dates', () => {
  const cron: ScheduleExpression = parseExpression('cron(0 * * * ? *)');
  it('no occurrence before StartDate, none after EndDate', () => {
    const w = {
      zone: 'UTC',
      anchorMs: 0,
      startMs: utc('2026-01-01T05:30:00Z'),
      endMs: utc('2026-01-01T06:00:00Z'),
    };
    expect(iso(nextOccurrence(cron, utc('2026-01-01T00:00:00Z'), w))).toBe(
      '2026-01-01T06:00:00.000Z',
    );
    expect(nextOccurrence(cron, utc('2026-01-01T06:00:01Z'), w)).toBeUndefined();
  });
});
