/**
 * What Lambda writes to a function's log stream around each invocation (the
 * START / END / REPORT platform lines, as text or as JSON records when the
 * function's LogFormat is JSON), and the one-line summary of an invocation
 * the local run prints.
 */

/** Where a function's log lines go: CloudWatch Logs (the cloud's LogStore has this shape). */
export interface LogSink {
  group(logGroupName: string): unknown;
  append(logGroupName: string, logStreamName: string, message: string, timestamp?: number): void;
}

export type InvocationOutcome = 'ok' | 'error' | 'timeout';

/** One finished invocation, for a console line such as `Orders/PlaceOrder 41 ms ok 01HX...`. */
export interface InvocationSummary {
  readonly label: string;
  readonly functionName: string;
  readonly requestId: string;
  readonly durationMs: number;
  readonly outcome: InvocationOutcome;
  readonly coldStart: boolean;
  /** `errorType: errorMessage` when the outcome is not ok. */
  readonly error?: string;
  /** The first `correlationId` found in the JSON lines the invocation wrote. */
  readonly correlationId?: string;
}

export function startLine(format: string, requestId: string): string {
  return format === 'JSON'
    ? platform('platform.start', { requestId, version: '$LATEST' })
    : `START RequestId: ${requestId} Version: $LATEST`;
}

export function endLine(format: string, requestId: string, outcome: InvocationOutcome): string {
  return format === 'JSON'
    ? platform('platform.runtimeDone', {
        requestId,
        status: outcome === 'ok' ? 'success' : outcome === 'timeout' ? 'timeout' : 'error',
      })
    : `END RequestId: ${requestId}`;
}

export interface ReportFigures {
  readonly durationMs: number;
  readonly memorySizeMB: number;
  readonly maxMemoryUsedMB: number;
  readonly initDurationMs?: number;
}

export function reportLine(format: string, requestId: string, r: ReportFigures): string {
  const billed = Math.max(1, Math.ceil(r.durationMs));
  if (format === 'JSON')
    return platform('platform.report', {
      requestId,
      metrics: {
        durationMs: round(r.durationMs),
        billedDurationMs: billed,
        memorySizeMB: r.memorySizeMB,
        maxMemoryUsedMB: r.maxMemoryUsedMB,
        ...(r.initDurationMs !== undefined && { initDurationMs: round(r.initDurationMs) }),
      },
    });
  return (
    `REPORT RequestId: ${requestId}\tDuration: ${r.durationMs.toFixed(2)} ms\t` +
    `Billed Duration: ${billed} ms\tMemory Size: ${r.memorySizeMB} MB\t` +
    `Max Memory Used: ${r.maxMemoryUsedMB} MB` +
    (r.initDurationMs !== undefined ? `\tInit Duration: ${r.initDurationMs.toFixed(2)} ms` : '')
  );
}

/** A line's `correlationId`, if the line is (or ends in) a JSON object carrying one. */
export function correlationIdOf(line: string): string | undefined {
  if (!line.includes('correlationId')) return undefined;
  const start = line.indexOf('{');
  if (start < 0) return undefined;
  try {
    const doc = JSON.parse(line.slice(start)) as Record<string, unknown>;
    const id =
      doc['correlationId'] ?? (doc['message'] as Record<string, unknown>)?.['correlationId'];
    return typeof id === 'string' && id !== '' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** `Orders/PlaceOrder  41 ms  ok  correlationId=01HX...`, as `npm start` prints it. */
export function formatSummary(s: InvocationSummary): string {
  const parts = [
    s.label,
    `${Math.round(s.durationMs)} ms${s.coldStart ? ' (cold)' : ''}`,
    s.outcome === 'ok' ? 'ok' : `${s.outcome}${s.error ? ` (${s.error})` : ''}`,
  ];
  if (s.correlationId) parts.push(`correlationId=${s.correlationId}`);
  return parts.join('  ');
}

const round = (n: number) => Math.round(n * 100) / 100;

function platform(type: string, record: Record<string, unknown>): string {
  return JSON.stringify({ time: new Date().toISOString(), type, record });
}
