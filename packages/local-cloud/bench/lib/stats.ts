/** Order statistics for benchmark samples. Linear interpolation between ranks, as most tools do. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error('quantile of no values: a benchmark recorded nothing.');
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

/** Geometric mean: the fair average of ratios. */
export function geomean(values: readonly number[]): number {
  return Math.exp(values.reduce((s, v) => s + Math.log(v), 0) / values.length);
}

/** Per-round ratios a[i] / b[i] of two series measured in the same rounds. */
export function ratios(a: readonly number[], b: readonly number[]): number[] {
  if (a.length !== b.length) {
    throw new Error(`ratios need series of equal length; received ${a.length} and ${b.length}.`);
  }
  return a.map((v, i) => v / b[i]!);
}
