import type { InvocationSummary } from '../app/lambda/invocation-log.js';

/** Invocations kept for journeys, oldest dropped first. */
const MAX_INVOCATIONS = 20_000;

export interface RecordedInvocation {
  label: string;
  functionName: string;
  requestId: string;
  startedAt: number;
  durationMs: number;
  outcome: InvocationSummary['outcome'];
  error?: string;
  correlationId?: string;
  coldStart: boolean;
}

/** The latest finished invocations, so a journey can show which functions ran for its order. */
export class RecentInvocations {
  private readonly list: RecordedInvocation[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  record(s: InvocationSummary): RecordedInvocation {
    const r: RecordedInvocation = {
      label: s.label,
      functionName: s.functionName,
      requestId: s.requestId,
      startedAt: this.now() - s.durationMs,
      durationMs: s.durationMs,
      outcome: s.outcome,
      coldStart: s.coldStart,
      ...(s.error !== undefined && { error: s.error }),
      ...(s.correlationId !== undefined && { correlationId: s.correlationId }),
    };
    this.list.push(r);
    if (this.list.length > MAX_INVOCATIONS) this.list.splice(0, this.list.length - MAX_INVOCATIONS);
    return r;
  }

  of(correlationId: string): RecordedInvocation[] {
    return this.list.filter((r) => r.correlationId === correlationId);
  }
}
