import { median, quantile } from './stats.js';

/** One figure: the median over rounds, with the smallest and largest round. */
export interface Row {
  metric: string;
  value: number;
  unit: string;
  rounds: number;
  min: number;
  max: number;
}

export interface BenchResult {
  name: string;
  rows: Row[];
  /** Setup facts a reader needs to interpret the rows (workers, sizes, what a ratio compares). */
  notes: string[];
}

/** A row from one value per round. */
export function fromRounds(metric: string, perRound: readonly number[], unit: string): Row {
  return {
    metric,
    value: median(perRound),
    unit,
    rounds: perRound.length,
    min: Math.min(...perRound),
    max: Math.max(...perRound),
  };
}

/**
 * p50 and p95 rows from latency samples grouped by round: the value is the median of the
 * per-round percentiles, the spread their range, so one bad round shows rather than hides.
 */
export function latencyRows(metric: string, samplesByRound: readonly number[][]): Row[] {
  const rounds = samplesByRound.filter((s) => s.length > 0);
  return [0.5, 0.95].map((q) =>
    fromRounds(
      `${metric} p${q * 100}`,
      rounds.map((s) => quantile(s, q)),
      'ms',
    ),
  );
}

/** A single measurement (memory snapshots): no rounds to spread over. */
export function single(metric: string, value: number, unit: string): Row {
  return { metric, value, unit, rounds: 1, min: value, max: value };
}

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  if (abs >= 1000) return Math.round(v).toLocaleString('en-US');
  if (abs >= 100) return v.toFixed(0);
  if (abs >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

function spread(row: Row): string {
  if (row.rounds < 2) return '';
  const rel = row.value === 0 ? 0 : ((row.max - row.min) / 2 / Math.abs(row.value)) * 100;
  return `${formatNumber(row.min)}–${formatNumber(row.max)} (±${rel.toFixed(0)}%)`;
}

/** A plain-text table: metric, value, unit, rounds, spread (min–max over rounds). */
export function table(result: BenchResult): string {
  const header = ['metric', 'value', 'unit', 'rounds', 'spread (min–max)'];
  const body = result.rows.map((r) => [
    r.metric,
    formatNumber(r.value),
    r.unit,
    String(r.rounds),
    spread(r),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 1 || i === 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [
    `== ${result.name}`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    ...result.notes.map((n) => `   ${n}`),
  ].join('\n');
}
