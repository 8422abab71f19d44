import type { Context } from 'aws-lambda';
import { instrument } from '#plumbing/lambda.js';
import { lazyHandler } from '#plumbing/lazy.js';
import {
  HttpError,
  callerOf,
  httpHandler,
  json,
  parseBody,
  requireOperator,
  type HttpEvent,
} from '#plumbing/http.js';
import type { DecryptPii, EncryptPii } from '#plumbing/pii.js';
import { retryOnConflict } from '#plumbing/retry-on-conflict.js';
import { logger } from '#plumbing/powertools.js';
import { runExport } from '../domain/exports/decider.js';
import { noExport, type ExportScope } from '../domain/exports/state.js';
import { defaultDeps } from '../adapters/default-deps.js';
import { toExportBusEvents } from '../exports/bus-events.js';
import { exportPath, RETRY_AFTER_SECONDS } from '../exports/http/export-view.js';
import {
  exportRequestHash,
  requestExportBody,
  type RequestExportBody,
} from '../exports/http/requests.js';
import type {
  CreateExport,
  ExportIdempotencyRecord,
  FindExportKey,
  LoadExport,
} from '../exports/ports.js';
import { IDEMPOTENCY_KEY_HEADER, readIdempotencyKey, requestIdOf } from '../http/requests.js';

export interface PlaceExportDeps {
  createExport: CreateExport;
  findExportKey: FindExportKey;
  loadExport: LoadExport;
  newExportId: () => string;
  newCallbackSecret: () => string;
  now: () => Date;
  encryptPii: EncryptPii;
  decryptPii: DecryptPii;
  /** The stack's local-run switch: callbacks to http:// on loopback are accepted. */
  allowLoopbackCallbacks: boolean;
}

const SECRET_FIELD = 'exportCallbackSecret';

/**
 * POST /exports: stores the export PENDING with ExportRequested (outbox) and
 * its Idempotency-Key in one transaction, and answers 202 with where to poll.
 * The Idempotency-Key works as on POST /orders: the same key and body get the
 * same answer (callbackSecret included), the same key with another body a 409.
 */
export function makePlaceExport(deps: PlaceExportDeps) {
  const schema = requestExportBody(deps.allowLoopbackCallbacks);
  return httpHandler(async (event: HttpEvent, context: Context) => {
    const caller = callerOf(event);
    const key = readIdempotencyKey(event);
    const body = parseBody(event, schema);
    const scope = scopeOf(body, caller.sub);
    if (scope.kind === 'all' || scope.customerId !== caller.sub) {
      requireOperator(caller, 'An export of other customers\' orders (customerId or scope "all")');
    }
    const hash = exportRequestHash(body, caller.sub);
    const requestId = requestIdOf(event, context.awsRequestId);

    return retryOnConflict(async () => {
      const claimed = await deps.findExportKey(key);
      if (claimed) return replay(claimed, hash);

      const exportId = deps.newExportId();
      const at = deps.now();
      const secret = body.callbackUrl ? deps.newCallbackSecret() : undefined;
      const callback =
        body.callbackUrl && secret
          ? {
              url: body.callbackUrl,
              // Sealed before it is stored: the table holds it only under the KMS key.
              secretCiphertext: await deps.encryptPii(SECRET_FIELD, secret, exportId),
            }
          : undefined;
      const { events, job } = runExport(
        {
          type: 'RequestExport',
          at: at.toISOString(),
          data: {
            exportId,
            requestedBy: caller.sub,
            scope,
            // One format for every instant, the one placedAt is stored in: comparable as strings.
            from: new Date(body.from).toISOString(),
            to: new Date(body.to).toISOString(),
            format: body.format,
            ...(callback && { callback }),
          },
        },
        noExport,
      );
      const busEvents = toExportBusEvents(
        events,
        job,
        { correlationId: exportId, causationId: requestId },
        () => at,
      );
      const outcome = await deps.createExport({
        job,
        events: busEvents,
        idempotency: { key, requestHash: hash, exportId },
      });
      if (outcome === 'key-taken') {
        const winner = await deps.findExportKey(key);
        if (!winner) {
          throw new Error(`${IDEMPOTENCY_KEY_HEADER} ${key} was taken but cannot be read back`);
        }
        return replay(winner, hash);
      }
      logger.info('Export requested', { exportId, scope: scope.kind, callback: !!callback });
      return accepted(exportId, secret);
    });
  });

  /** The same key and body: the same answer. The same key, another body: a 409. */
  async function replay(claimed: ExportIdempotencyRecord, hash: string) {
    if (claimed.requestHash !== hash) {
      throw new HttpError(
        409,
        'IdempotencyKeyReused',
        `${IDEMPOTENCY_KEY_HEADER} "${claimed.key}" was already used with a different request body; use a new key for a new export, or resend the original body unchanged to retry it.`,
        { field: `headers.${IDEMPOTENCY_KEY_HEADER}` },
      );
    }
    const stored = await deps.loadExport(claimed.exportId);
    if (!stored) {
      throw new Error(
        `Export ${claimed.exportId} of ${IDEMPOTENCY_KEY_HEADER} ${claimed.key} is missing`,
      );
    }
    const sealed = stored.job.callback?.secretCiphertext;
    const secret = sealed
      ? await deps.decryptPii(SECRET_FIELD, sealed, claimed.exportId)
      : undefined;
    logger.info('Idempotent replay', { exportId: claimed.exportId });
    return accepted(claimed.exportId, secret, true);
  }
}

/** Whose orders: the caller's own unless an operator named a customer or everyone. */
function scopeOf(body: RequestExportBody, caller: string): ExportScope {
  if (body.scope === 'all') return { kind: 'all' };
  return { kind: 'customer', customerId: body.customerId ?? caller };
}

function accepted(exportId: string, callbackSecret: string | undefined, replayed = false) {
  const self = exportPath(exportId);
  return json(
    202,
    { exportId, status: 'PENDING', links: { self }, ...(callbackSecret && { callbackSecret }) },
    {
      location: self,
      'retry-after': String(RETRY_AFTER_SECONDS),
      ...(replayed && { 'idempotent-replayed': 'true' }),
    },
  );
}

export const handler = instrument(lazyHandler(() => makePlaceExport(defaultDeps())));
