import { Webhook } from 'standardwebhooks';
import { requireEnv } from '#plumbing/aws.js';
import { createConsumer, type Consumed, type EventHandler } from '#plumbing/consumer.js';
import { instrument } from '#plumbing/lambda.js';
import { lazyHandler } from '#plumbing/lazy.js';
import { oncePerEvent } from '#plumbing/once-per-event.js';
import type { DecryptPii } from '#plumbing/pii.js';
import { logger } from '#plumbing/powertools.js';
import { exportCallbackConsumes } from '../consumes.js';
import { callbackRetryDelaySeconds } from '../domain/exports/callback-backoff.js';
import { ExportNotFound } from '../domain/exports/decider.js';
import { defaultDeps } from '../adapters/default-deps.js';
import { exportPath } from '../exports/http/export-view.js';
import type { DelayRetry, LoadExport, PostCallback } from '../exports/ports.js';

type Completion = Consumed<(typeof exportCallbackConsumes)[number]>;

export interface ExportCallbackDeps {
  loadExport: LoadExport;
  decryptPii: DecryptPii;
  postCallback: PostCallback;
  delayRetry: DelayRetry;
  now: () => Date;
  random: () => number;
}

/** Thrown for a callback that failed; SQS brings the message back after the backoff set on it. */
export class CallbackFailed extends Error {
  constructor(exportId: string, host: string, why: string, retryInSeconds: number) {
    super(
      `Callback of export ${exportId} to ${host} failed (${why}); it is tried again in ${retryInSeconds} s, then dead-lettered after about a day.`,
    );
    this.name = 'CallbackFailed';
  }
}

/** The notice's body, as Standard Webhooks shapes one: type, timestamp, data. */
export function callbackPayload(event: Completion): string {
  const { data, metadata } = event.detail;
  const self = exportPath(data.exportId);
  const body =
    event['detail-type'] === 'ExportSucceeded'
      ? {
          type: 'export.succeeded',
          timestamp: metadata.occurredAt,
          data: {
            exportId: data.exportId,
            status: 'SUCCEEDED',
            rows: event.detail.data.rows,
            bytes: event.detail.data.bytes,
            // The download URL is not sent: it would expire; GET self presigns a fresh one.
            links: { self },
          },
        }
      : {
          type: 'export.failed',
          timestamp: metadata.occurredAt,
          data: {
            exportId: data.exportId,
            status: 'FAILED',
            reason: event.detail.data.reason,
            links: { self },
          },
        };
  return JSON.stringify(body);
}

/**
 * Delivers one completion to the export's callback URL, signed as Standard
 * Webhooks says with the export's own secret: webhook-id is the completion
 * event's id (the same on every retry, so the receiver can deduplicate),
 * webhook-timestamp the time of this try. A network error, a timeout or a
 * non-2xx answer sets the message's visibility to the next jittered backoff
 * and fails this record only.
 */
export function makeHandleCompletion(
  deps: ExportCallbackDeps,
): EventHandler<(typeof exportCallbackConsumes)[number]> {
  return async (event, record) => {
    const { exportId } = event.detail.data;
    const stored = await deps.loadExport(exportId);
    if (!stored) throw new ExportNotFound(exportId, `${event['detail-type']} callback`);
    const { callback } = stored.job;
    if (!callback) {
      logger.info('Export has no callback; nothing to deliver', { exportId });
      return;
    }
    const secret = await deps.decryptPii(
      'exportCallbackSecret',
      callback.secretCiphertext,
      exportId,
    );
    const payload = callbackPayload(event);
    const msgId = event.detail.metadata.eventId;
    const at = deps.now();
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'shop-exports-callback/1',
      'webhook-id': msgId,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(msgId, at, payload),
    };
    // Only the host is logged: a callback URL's path or query may carry the caller's own token.
    const host = new URL(callback.url).host;
    let why: string;
    try {
      const res = await deps.postCallback(callback.url, payload, headers);
      if (res.status >= 200 && res.status < 300) {
        logger.info('Callback delivered', { exportId, host, status: res.status, webhookId: msgId });
        return;
      }
      why = `HTTP ${res.status}`;
    } catch (error) {
      why = (error as Error).name === 'TimeoutError' ? 'timed out' : (error as Error).message;
    }
    const receives = Number(record?.attributes?.ApproximateReceiveCount ?? 1);
    const delay = callbackRetryDelaySeconds(receives, deps.random());
    try {
      if (!record) throw new Error('no SQS record was passed with the event');
      await deps.delayRetry(record.receiptHandle, delay);
    } catch (error) {
      // The queue's own visibility timeout still brings it back, only sooner.
      logger.warn('Could not set the callback backoff', { exportId, error });
    }
    throw new CallbackFailed(exportId, host, why, delay);
  };
}

/**
 * The SQS consumer of completions with a callback: batch, parse, partial response. The one
 * consumer with a Powertools idempotency record (oncePerEvent): a POST to the caller is no
 * table write that could carry a PROCESSED marker, and a replayed completion must not call
 * the caller back again. `dedup: false` only in unit tests that run without DynamoDB.
 */
export function makeExportCallback(
  deps: ExportCallbackDeps,
  options: { dedup?: { tableName: string } | false } = {},
) {
  const handle = makeHandleCompletion(deps);
  const dedup = options.dedup ?? { tableName: requireEnv('TABLE_NAME') };
  return createConsumer({
    consumes: exportCallbackConsumes,
    ...(dedup ? oncePerEvent(handle, dedup) : { handle }),
  });
}

export const handler = instrument(lazyHandler(() => makeExportCallback(defaultDeps())));
