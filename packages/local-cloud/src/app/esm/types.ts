import type { LambdaErrorShape } from '../lambda/function.js';

/** An AWS::Lambda::EventSourceMapping, resolved from the template. */
export interface MappingConfig {
  /** The mapping's UUID (its `Ref`). */
  readonly uuid: string;
  readonly logicalId: string;
  readonly stackName: string;
  /** `FunctionName`: a name or an ARN. */
  readonly functionRef: string;
  readonly eventSourceArn: string;
  readonly enabled: boolean;
  readonly batchSize?: number;
  readonly maxBatchingWindowSeconds?: number;
  /** `FunctionResponseTypes` includes `ReportBatchItemFailures`. */
  readonly reportBatchItemFailures: boolean;
  /** `ScalingConfig.MaximumConcurrency` (SQS). */
  readonly maximumConcurrency?: number;
  /** `StartingPosition` (streams). */
  readonly startingPosition?: string;
  /** `MaximumRetryAttempts` (streams); -1 or absent: retry until the record expires. */
  readonly maximumRetryAttempts?: number;
  readonly bisectBatchOnFunctionError?: boolean;
  /** `FilterCriteria.Filters[].Pattern`, as JSON text. */
  readonly filterPatterns: readonly string[];
  /** `DestinationConfig.OnFailure.Destination` (streams): an SQS queue ARN. */
  readonly onFailureDestination?: string;
}

/** What a poller needs to run the mapping's function. */
export interface MappingTarget {
  readonly label: string;
  readonly functionArn: string;
  readonly reservedConcurrency?: number;
  invoke(
    event: unknown,
    opts: { wait: boolean },
  ): Promise<
    | { ok: true; requestId: string; payload: string }
    | { ok: false; requestId: string; error: LambdaErrorShape }
  >;
}

export interface Poller {
  start(): void;
  stop(): Promise<void>;
}

/**
 * Reads a partial batch response as Lambda does: success if the result is
 * null, has no `batchItemFailures` or an empty list; the listed ids otherwise;
 * the whole batch failed if any identifier is missing, empty or unknown.
 */
export function readBatchResponse(
  payload: string,
  known: ReadonlySet<string>,
): { kind: 'success' } | { kind: 'partial'; failed: string[] } | { kind: 'invalid'; why: string } {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return { kind: 'invalid', why: 'the response is not JSON' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { kind: 'success' };
  const failures = (value as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'success' };
  if (!Array.isArray(failures)) return { kind: 'invalid', why: 'batchItemFailures is not a list' };
  if (failures.length === 0) return { kind: 'success' };
  const failed: string[] = [];
  for (const f of failures) {
    const id = (f as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '')
      return {
        kind: 'invalid',
        why: `an itemIdentifier is missing or empty: ${JSON.stringify(f)}`,
      };
    if (!known.has(id)) return { kind: 'invalid', why: `itemIdentifier ${id} is not in the batch` };
    failed.push(id);
  }
  return { kind: 'partial', failed };
}

/** Waits `ms`, or less if `signal` aborts; the abort listener goes when the wait ends, so loops don't pile them up. */
export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Runs one SDK call that `signal` can cancel. The SDK leaves its listener on
 * the signal it is given, so each call gets a short-lived signal of its own.
 */
export async function abortable<T>(
  signal: AbortSignal,
  call: (s: AbortSignal) => Promise<T>,
): Promise<T> {
  const own = new AbortController();
  const forward = () => own.abort();
  signal.addEventListener('abort', forward, { once: true });
  try {
    return await call(own.signal);
  } finally {
    signal.removeEventListener('abort', forward);
  }
}
