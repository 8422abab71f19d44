import type { InvocationSummary } from '../app/lambda/invocation-log.js';

/** How far back the console's per-function figures reach. */
export const WINDOW_MS = 5 * 60_000;
/** Kept per function at most, newest first out last: a busy function cannot grow without limit. */
const MAX_PER_FUNCTION = 5_000;

interface Sample {
  at: number;
  durationMs: number;
  outcome: InvocationSummary['outcome'];
}

export interface FunctionFigures {
  label: string;
  functionName: string;
  invocations: number;
  errors: number;
  timeouts: number;
  coldStarts: number;
  p50Ms: number | undefined;
  p90Ms: number | undefined;
  p99Ms: number | undefined;
  maxMs: number | undefined;
}

/** Each function's finished invocations of the last WINDOW_MS, for invocations, errors and duration percentiles. */
export class FunctionWindow {
  private readonly samples = new Map<
    string,
    { functionName: string; cold: number[]; list: Sample[] }
  >();

  constructor(private readonly now: () => number = Date.now) {}

  record(s: InvocationSummary): void {
    let entry = this.samples.get(s.label);
    if (!entry)
      this.samples.set(s.label, (entry = { functionName: s.functionName, cold: [], list: [] }));
    const at = this.now();
    entry.list.push({ at, durationMs: s.durationMs, outcome: s.outcome });
    if (s.coldStart) entry.cold.push(at);
    if (entry.list.length > MAX_PER_FUNCTION)
      entry.list.splice(0, entry.list.length - MAX_PER_FUNCTION);
  }

  /** Figures per function over the window; functions with none in it report zeros. */
  figures(labels: readonly { label: string; functionName: string }[] = []): FunctionFigures[] {
    const since = this.now() - WINDOW_MS;
    const all = new Map(labels.map((l) => [l.label, l.functionName]));
    for (const [label, e] of this.samples) all.set(label, e.functionName);
    return [...all]
      .map(([label, functionName]) => {
        const e = this.samples.get(label);
        if (e) {
          e.list = e.list.filter((s) => s.at >= since);
          e.cold = e.cold.filter((at) => at >= since);
        }
        const list = e?.list ?? [];
        const durations = list.map((s) => s.durationMs).sort((a, b) => a - b);
        const pick = (q: number) =>
          durations.length === 0
            ? undefined
            : durations[Math.min(durations.length - 1, Math.ceil(q * durations.length) - 1)];
        return {
          label,
          functionName,
          invocations: list.length,
          errors: list.filter((s) => s.outcome === 'error').length,
          timeouts: list.filter((s) => s.outcome === 'timeout').length,
          coldStarts: e?.cold.length ?? 0,
          p50Ms: pick(0.5),
          p90Ms: pick(0.9),
          p99Ms: pick(0.99),
          maxMs: durations.at(-1),
        };
      })
      .sort((a, b) => a.label.localeCompare(b.label));
  }
}
