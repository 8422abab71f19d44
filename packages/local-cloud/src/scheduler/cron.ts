/**
 * AWS's six-field cron (minutes hours day-of-month month day-of-week year),
 * as EventBridge Scheduler and EventBridge rules read it:
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#cron-based
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
 * Wildcards: `,` `-` `*` `/` everywhere; `?` in day-of-month or day-of-week
 * (exactly one of the two must be `?`); `L` and `W` in day-of-month (`L`,
 * `LW`, `15W`); `L` and `#` in day-of-week (`L`, `6L`, `3#2`).
 */
import { daysInMonth, instantOf, wallTimeAt, weekdayOf } from './zone.js';

export type DayRule =
  | {
      kind: 'dayOfMonth';
      days: ReadonlySet<number>;
      last: boolean;
      lastWeekday: boolean;
      nearestWeekday: readonly number[];
    }
  | {
      kind: 'dayOfWeek';
      days: ReadonlySet<number>;
      /** `6L`: the last Friday of the month. */
      lastOf: readonly number[];
      /** `3#2`: [3, 2], the second Tuesday. */
      nth: readonly (readonly [number, number])[];
    };

export interface Cron {
  minutes: readonly number[];
  hours: readonly number[];
  months: ReadonlySet<number>;
  years: ReadonlySet<number>;
  day: DayRule;
}

/** A cron expression AWS would refuse; the message says which field and why. */
export class CronError extends Error {}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface Field {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MINUTES: Field = { name: 'minutes', min: 0, max: 59 };
const HOURS: Field = { name: 'hours', min: 0, max: 23 };
const DAY_OF_MONTH: Field = { name: 'day-of-month', min: 1, max: 31 };
const MONTH: Field = { name: 'month', min: 1, max: 12, names: MONTHS };
const DAY_OF_WEEK: Field = { name: 'day-of-week', min: 1, max: 7, names: WEEKDAYS };
const YEAR: Field = { name: 'year', min: 1970, max: 2199 };

/** Parses the fields inside `cron(...)`. Throws CronError. */
export function parseCron(fields: string): Cron {
  const parts = fields.trim().split(/\s+/);
  if (parts.length !== 6) {
    throw new CronError(
      `a cron expression has 6 fields (minutes hours day-of-month month day-of-week year); received ${parts.length}: '${fields}'.`,
    );
  }
  const [min, hour, dom, month, dow, year] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if ((dom === '?') === (dow === '?')) {
    throw new CronError(
      `exactly one of day-of-month and day-of-week must be '?' (received '${dom}' and '${dow}'); use '?' in the one you do not restrict.`,
    );
  }
  return {
    minutes: [...values(min, MINUTES)].sort((a, b) => a - b),
    hours: [...values(hour, HOURS)].sort((a, b) => a - b),
    months: values(month, MONTH),
    years: values(year, YEAR),
    day: dom === '?' ? dayOfWeek(dow) : dayOfMonth(dom),
  };
}

function dayOfMonth(text: string): DayRule {
  const days = new Set<number>();
  const nearestWeekday: number[] = [];
  let last = false;
  let lastWeekday = false;
  for (const item of text.split(',')) {
    if (item === 'L') last = true;
    else if (item === 'LW') lastWeekday = true;
    else if (/^\d+W$/.test(item)) nearestWeekday.push(number(item.slice(0, -1), DAY_OF_MONTH));
    else for (const v of values(item, DAY_OF_MONTH)) days.add(v);
  }
  return { kind: 'dayOfMonth', days, last, lastWeekday, nearestWeekday };
}

function dayOfWeek(text: string): DayRule {
  const days = new Set<number>();
  const lastOf: number[] = [];
  const nth: [number, number][] = [];
  for (const item of text.split(',')) {
    if (item === 'L') days.add(7);
    else if (/^\w+L$/.test(item)) lastOf.push(number(item.slice(0, -1), DAY_OF_WEEK));
    else if (item.includes('#')) {
      const [d, k] = item.split('#') as [string, string];
      const which = Number(k);
      if (!/^[1-5]$/.test(k)) {
        throw new CronError(
          `day-of-week '${item}': the number after # is 1 to 5; received '${k}'.`,
        );
      }
      nth.push([number(d, DAY_OF_WEEK), which]);
    } else for (const v of values(item, DAY_OF_WEEK)) days.add(v);
  }
  return { kind: 'dayOfWeek', days, lastOf, nth };
}

/** The values a field (a comma list of `*`, `a`, `a-b`, with an optional `/step`) allows. */
function values(text: string, field: Field): Set<number> {
  const out = new Set<number>();
  for (const item of text.split(',')) {
    const [range, stepText] = item.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (
      !Number.isInteger(step) ||
      step < 1 ||
      (stepText !== undefined && !/^\d+$/.test(stepText))
    ) {
      throw new CronError(`${field.name} '${item}': the step after / is a positive integer.`);
    }
    let from: number;
    let to: number;
    if (range === '*') {
      from = field.min;
      to = field.max;
    } else if (range.includes('-')) {
      const [a, b] = range.split('-') as [string, string];
      from = number(a, field);
      to = number(b, field);
    } else {
      from = number(range, field);
      to = stepText === undefined ? from : field.max;
    }
    if (from > to) {
      throw new CronError(`${field.name} '${item}': a range goes from low to high.`);
    }
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

function number(text: string, field: Field): number {
  const named = field.names?.indexOf(text.toUpperCase()) ?? -1;
  const v = named >= 0 ? named + 1 : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(v >= field.min && v <= field.max)) {
    const names = field.names ? ` or ${field.names[0]}-${field.names.at(-1)}` : '';
    throw new CronError(
      `${field.name} '${text}' is not allowed: use ${field.min}-${field.max}${names}.`,
    );
  }
  return v;
}

/** Does the day (in the schedule's zone) match the cron's day rule? */
export function matchesDay(day: DayRule, year: number, month: number, date: number): boolean {
  const last = daysInMonth(year, month);
  const weekday = weekdayOf(year, month, date);
  if (day.kind === 'dayOfMonth') {
    if (day.days.has(date)) return true;
    if (day.last && date === last) return true;
    if (day.lastWeekday && date === lastWeekdayOf(year, month)) return true;
    return day.nearestWeekday.some((n) => date === nearestWeekday(year, month, n));
  }
  if (day.days.has(weekday)) return true;
  if (day.lastOf.includes(weekday) && date + 7 > last) return true;
  return day.nth.some(([d, k]) => d === weekday && Math.ceil(date / 7) === k);
}

function lastWeekdayOf(year: number, month: number): number {
  let d = daysInMonth(year, month);
  while (isWeekend(weekdayOf(year, month, d))) d--;
  return d;
}

/** `15W`: the weekday nearest the 15th, never crossing into another month. */
function nearestWeekday(year: number, month: number, n: number): number | undefined {
  const last = daysInMonth(year, month);
  if (n > last) return undefined;
  const w = weekdayOf(year, month, n);
  if (w === 7) return n === 1 ? 3 : n - 1; // Saturday: the Friday before, or Monday the 3rd
  if (w === 1) return n === last ? n - 2 : n + 1; // Sunday: the Monday after, or Friday before
  return n;
}

const isWeekend = (weekday: number) => weekday === 1 || weekday === 7;

/**
 * The first minute after `afterMs` that the cron matches in `zone`, or
 * undefined if none is left (its years are past). A wall-clock time the zone
 * skips is skipped; one it repeats runs once, the first time.
 */
export function nextCronTime(cron: Cron, afterMs: number, zone: string): number | undefined {
  const start = wallTimeAt(afterMs, zone);
  let year = start.year;
  let month = start.month;
  let day = start.day;
  const lastYear = Math.max(...cron.years);
  while (year <= lastYear) {
    if (!cron.years.has(year)) {
      [year, month, day] = [year + 1, 1, 1];
      continue;
    }
    if (!cron.months.has(month)) {
      [year, month, day] = month === 12 ? [year + 1, 1, 1] : [year, month + 1, 1];
      continue;
    }
    if (matchesDay(cron.day, year, month, day)) {
      // On the first day, wall times before the start cannot come after it (the first of
      // a repeated time is the one that runs), so they are not computed.
      const firstDay = year === start.year && month === start.month && day === start.day;
      for (const hour of cron.hours) {
        if (firstDay && hour < start.hour) continue;
        for (const minute of cron.minutes) {
          if (firstDay && hour === start.hour && minute < start.minute) continue;
          const t = instantOf({ year, month, day, hour, minute, second: 0 }, zone);
          if (t !== undefined && t > afterMs) return t;
        }
      }
    }
    if (day < daysInMonth(year, month)) day++;
    else [year, month, day] = month === 12 ? [year + 1, 1, 1] : [year, month + 1, 1];
  }
  return undefined;
}
