/**
 * Schedule expressions and when they occur, as EventBridge Scheduler reads them
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html):
 * `at(yyyy-mm-ddThh:mm:ss)` once, `rate(value unit)` every fixed duration from
 * the start date (or the schedule's creation), `cron(...)` at the wall-clock
 * times it matches; `at` and `cron` read in ScheduleExpressionTimezone (UTC
 * by default). A `rate` of days is 24 hours, whatever daylight saving does.
 */
import { CronError, nextCronTime, parseCron, type Cron } from './cron.js';
import { instantAcrossGap, instantOf, isTimeZone } from './zone.js';

export type ScheduleExpression =
  | {
      kind: 'at';
      wall: {
        year: number;
        month: number;
        day: number;
        hour: number;
        minute: number;
        second: number;
      };
    }
  | { kind: 'rate'; periodMs: number }
  | { kind: 'cron'; cron: Cron };

/** An expression AWS would refuse; the message says what was received and what is allowed. */
export class ExpressionError extends Error {}

const AT = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;
const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\((.*)\)$/;
const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

const FORMS =
  'at(yyyy-mm-ddThh:mm:ss), rate(value unit) or cron(minutes hours day-of-month month day-of-week year)';

/** Parses a schedule expression; throws ExpressionError with AWS's reason. */
export function parseExpression(text: string): ScheduleExpression {
  const at = AT.exec(text);
  if (at) {
    const [year, month, day, hour, minute, second] = at.slice(1).map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const d = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
    if (
      d.getUTCMonth() !== month - 1 ||
      d.getUTCDate() !== day ||
      hour > 23 ||
      minute > 59 ||
      second > 59
    ) {
      throw new ExpressionError(
        `Invalid Schedule Expression ${text}: ${text.slice(3, -1)} is not a date and time.`,
      );
    }
    return { kind: 'at', wall: { year, month, day, hour, minute, second } };
  }
  const rate = RATE.exec(text);
  if (rate) {
    const value = Number(rate[1]);
    const unit = rate[2]!;
    const singular = !unit.endsWith('s');
    if (value < 1 || singular !== (value === 1)) {
      throw new ExpressionError(
        `Invalid Schedule Expression ${text}: the value is a positive integer, with a singular unit for 1 (rate(1 hour)) and a plural one above (rate(5 hours)).`,
      );
    }
    return { kind: 'rate', periodMs: value * UNIT_MS[singular ? unit : unit.slice(0, -1)]! };
  }
  const cron = CRON.exec(text);
  if (cron) {
    try {
      return { kind: 'cron', cron: parseCron(cron[1]!) };
    } catch (error) {
      if (error instanceof CronError) {
        throw new ExpressionError(`Invalid Schedule Expression ${text}: ${error.message}`);
      }
      throw error;
    }
  }
  throw new ExpressionError(`Invalid Schedule Expression ${text}. Use ${FORMS}.`);
}

/** Checks a ScheduleExpressionTimezone. */
export function checkTimeZone(zone: string): void {
  if (!isTimeZone(zone)) {
    throw new ExpressionError(
      `Invalid ScheduleExpressionTimezone ${zone}: use an IANA time zone name such as UTC, Europe/Paris or America/New_York.`,
    );
  }
}

export interface Window {
  /** The time zone `at` and `cron` read in. */
  zone: string;
  /** Where a `rate` counts from (StartDate, else the creation time). */
  anchorMs: number;
  /** Recurring schedules: no occurrence before it. */
  startMs?: number;
  /** Recurring schedules: no occurrence after it. */
  endMs?: number;
}

/** The instant of a one-time schedule (a time the zone skips reads as the same time past the gap). */
export function atInstant(expr: Extract<ScheduleExpression, { kind: 'at' }>, zone: string): number {
  return instantOf(expr.wall, zone) ?? instantAcrossGap(expr.wall, zone);
}

/**
 * The first occurrence at or after `fromMs`, or undefined when there is none
 * (a one-time schedule's time before `fromMs`, an end date passed, a cron's
 * last year over).
 */
export function nextOccurrence(
  expr: ScheduleExpression,
  fromMs: number,
  w: Window,
): number | undefined {
  if (expr.kind === 'at') {
    const t = atInstant(expr, w.zone);
    return t >= fromMs ? t : undefined;
  }
  const from = Math.max(fromMs, w.startMs ?? -Infinity);
  let t: number | undefined;
  if (expr.kind === 'rate') {
    const k = Math.max(0, Math.ceil((from - w.anchorMs) / expr.periodMs));
    t = w.anchorMs + k * expr.periodMs;
  } else {
    t = nextCronTime(expr.cron, from - 1, w.zone);
  }
  if (t === undefined || (w.endMs !== undefined && t > w.endMs)) return undefined;
  return t;
}
