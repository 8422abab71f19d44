/**
 * Wall-clock time in an IANA time zone, with nothing but Intl: what a date
 * and time read in a zone, and which instant a wall-clock time is there
 * (none in a spring-forward gap, the first of two in a fall-back hour).
 */

/** A wall-clock time; month 1-12, weekday 1-7 with 1 = Sunday (cron's numbering). */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** True if Intl knows the zone (`UTC`, `Europe/Paris`, ...). */
export function isTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** What the wall clock reads in `zone` at `epochMs`. */
export function wallTimeAt(epochMs: number, zone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(epochMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts['year']!,
    month: parts['month']!,
    day: parts['day']!,
    hour: parts['hour']!,
    minute: parts['minute']!,
    second: parts['second']!,
  };
}

/** Milliseconds the zone is ahead of UTC at `epochMs`. */
function offsetAt(epochMs: number, zone: string): number {
  const w = wallTimeAt(epochMs, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/**
 * The instant the wall clock of `zone` reads `wall`: undefined when the
 * clock skips it (spring forward), the earlier one when it reads it twice
 * (fall back), as Scheduler runs a schedule once then.
 */
export function instantOf(wall: WallTime, zone: string): number | undefined {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  // The offsets in force a day either side cover any transition near this time.
  const offsets = new Set([
    offsetAt(asUtc - 86_400_000, zone),
    offsetAt(asUtc, zone),
    offsetAt(asUtc + 86_400_000, zone),
  ]);
  const matches = [...offsets]
    .map((offset) => asUtc - offset)
    .filter((t) => sameWallTime(wallTimeAt(t, zone), wall))
    .sort((a, b) => a - b);
  return matches[0];
}

/** A wall time the zone skips, read with the offset in force before the gap: it lands after it. */
export function instantAcrossGap(wall: WallTime, zone: string): number {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return asUtc - offsetAt(asUtc - 86_400_000, zone);
}

function sameWallTime(a: WallTime, b: WallTime): boolean {
  return (
    a.year === b.year &&
    a.month === b.month &&
    a.day === b.day &&
    a.hour === b.hour &&
    a.minute === b.minute &&
    a.second === b.second
  );
}

/** Days in a month of the proleptic Gregorian calendar (month 1-12). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** 1 = Sunday ... 7 = Saturday, as cron numbers days of the week. */
export function weekdayOf(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
}
