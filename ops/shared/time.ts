import { UsageError } from './cli.js';

const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * `now`, a time relative to now (`-2h`, `-90m`, `-1d12h`, `-30s`), or an ISO
 * 8601 time. An ISO time without a zone is refused: UTC or local would be a
 * guess, and a replay of the wrong window is hard to take back.
 */
export function parseTime(text: string, now: number, flag: string): Date {
  const t = text.trim();
  if (t === 'now') return new Date(now);
  const relative = /^-((?:\d+[smhdw])+)$/.exec(t);
  if (relative) {
    let ms = 0;
    for (const [, n, unit] of relative[1]!.matchAll(/(\d+)([smhdw])/g)) {
      ms += Number(n) * UNIT_MS[unit!]!;
    }
    return new Date(now - ms);
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(t) && !/(Z|[+-]\d{2}:?\d{2})$/i.test(t)) {
    throw new UsageError(
      `${flag} '${text}' has no time zone; add Z for UTC (e.g. ${t}Z) or an offset like +02:00.`,
    );
  }
  const ms = Date.parse(t);
  if (!/^\d{4}-\d{2}-\d{2}/.test(t) || Number.isNaN(ms)) {
    throw new UsageError(
      `${flag} must be an ISO time like 2024-05-01T10:00:00Z, a relative time like -2h, -30m, -1d12h, or 'now'; received '${text}'.`,
    );
  }
  return new Date(ms);
}

/** `850ms`, `12.3s`, `4m 05s`, `2h 03m`, `3d 4h`. */
export function formatDuration(ms: number): string {
  if (ms < 0) ms = 0;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** ISO time to the millisecond, UTC. */
export function iso(d: Date | number): string {
  return new Date(d).toISOString();
}
