import type { LogStore } from '../logs/store.js';

/** How many failed messages' reasons are kept (oldest forgotten first). */
const MAX_REASONS = 5_000;

export interface FailureReason {
  /** Where it failed: the consuming function's log group, or the function (a whole batch failed). */
  where: string;
  at: string;
  /** The log line's message and its error, as the function logged them. */
  message: string;
  error?: string;
}

/**
 * Why a message failed: the last ERROR line of the functions' own structured logs that names the
 * message's `messageId` (what a consumer logs when a record fails), or the error of a batch that
 * failed as a whole (from the SQS poller). A dead letter keeps its message id, so its reason is
 * the last failure before it was moved.
 */
export class FailureReasons {
  private readonly reasons = new Map<string, FailureReason>();
  private readonly unsubscribe: () => void;

  constructor(logs: LogStore) {
    this.unsubscribe = logs.subscribe((group, _stream, event) => {
      if (!event.message.includes('"messageId"')) return;
      const line = parseJson(event.message);
      if (!line || String(line['level']).toUpperCase() !== 'ERROR') return;
      const messageId = line['messageId'];
      if (typeof messageId !== 'string') return;
      this.remember(messageId, {
        where: group,
        at: new Date(event.timestamp).toISOString(),
        message: String(line['message'] ?? ''),
        error: describeError(line['error']),
      });
    });
  }

  /**
   * A batch that failed as a whole, as the poller saw it (an error thrown before or outside the
   * handler's own logging, a timeout, a throttle): its messages' latest reason.
   */
  batchFailed(messageIds: readonly string[], functionLabel: string, reason: string): void {
    const at = new Date().toISOString();
    for (const id of messageIds) {
      this.remember(id, {
        where: functionLabel,
        at,
        message: 'The invocation failed',
        error: reason,
      });
    }
  }

  of(messageId: string): FailureReason | undefined {
    return this.reasons.get(messageId);
  }

  stop(): void {
    this.unsubscribe();
  }

  /** The latest reason wins; the oldest is forgotten past MAX_REASONS. */
  private remember(messageId: string, reason: FailureReason): void {
    this.reasons.delete(messageId);
    this.reasons.set(messageId, reason);
    if (this.reasons.size > MAX_REASONS) {
      this.reasons.delete(this.reasons.keys().next().value as string);
    }
  }
}

function parseJson(text: string): Record<string, unknown> | undefined {
  const start = text.indexOf('{');
  if (start < 0) return undefined;
  try {
    const value: unknown = JSON.parse(text.slice(start));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Powertools logs an error as `{ name, message, stack }`. */
function describeError(error: unknown): string | undefined {
  if (error === undefined || error === null) return undefined;
  if (typeof error === 'string') return error;
  if (typeof error === 'object') {
    const e = error as Record<string, unknown>;
    if (e['name'] || e['message'])
      return `${String(e['name'] ?? 'Error')}: ${String(e['message'] ?? '')}`;
  }
  return JSON.stringify(error);
}
