import * as z from 'zod';
import { shipmentId, text } from '#events/common.js';
import {
  HttpError,
  httpHandler,
  json,
  parseBody,
  parseParams,
  type HttpEvent,
} from '#plumbing/http.js';
import { instrument } from '#plumbing/lambda.js';
import { lazyHandler } from '#plumbing/lazy.js';
import { retryOnConflict } from '#plumbing/retry-on-conflict.js';
import { defaultDeps } from '../adapters/default-deps.js';
import type { Clock } from '../domain/decide.js';
import { handle } from '../domain/decider.js';
import { ShipmentRejection } from '../domain/errors.js';
import { SIGNATURE_HEADER, verify } from '../domain/signature.js';
import type { GetWebhookSecrets, LoadShipment, SaveShipment } from '../ports.js';
import { view } from './view.js';

const params = z.strictObject({ shipmentId });

/** The carrier's notification: one status change, with the carrier's own event id for dedup. */
export const carrierEventSchema = z.strictObject({
  eventId: text(1, 100),
  type: z.enum(['DISPATCHED', 'DELIVERED']),
  carrier: text(1, 100),
  trackingNumber: text(1, 100),
  occurredAt: z.iso.datetime({ offset: true }),
});

export interface WebhookDeps {
  load: LoadShipment;
  save: SaveShipment;
  secrets: GetWebhookSecrets;
  clock?: Clock;
  nowSeconds?: () => number;
}

export function makeCarrierWebhook(deps: WebhookDeps) {
  const nowSeconds = deps.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  return httpHandler(async (event: HttpEvent) => {
    // Authenticate before reading anything else: an unsigned request learns nothing.
    const raw = event.isBase64Encoded
      ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
      : (event.body ?? '');
    // Method and path are signed, so a signature made for one shipment fails on another.
    const check = verify(
      await deps.secrets(),
      { method: event.requestContext.http.method, path: event.rawPath, body: raw },
      event.headers?.[SIGNATURE_HEADER],
      nowSeconds(),
    );
    if (!check.ok) throw new HttpError(401, 'InvalidSignature', check.reason);

    const { shipmentId: id } = parseParams(event.pathParameters, params);
    const update = parseBody(event, carrierEventSchema);
    const requestId = event.requestContext.requestId;

    return retryOnConflict(async () => {
      const stored = await deps.load(id);
      if (!stored || stored.state.status === 'NONE' || stored.state.status === 'VOID') {
        throw new HttpError(404, 'NotFound', `No shipment ${id} was scheduled.`);
      }
      let outcome;
      try {
        outcome = handle(
          {
            type: 'RecordCarrierUpdate',
            update: { ...update, carrierEventId: update.eventId },
            cause: {
              correlationId: stored.state.orderId,
              causationId: `carrier:${update.eventId}`,
            },
          },
          stored.state,
          deps.clock,
        );
      } catch (error) {
        if (error instanceof ShipmentRejection) {
          throw new HttpError(409, 'InvalidTransition', error.message, {
            status: stored.state.status,
          });
        }
        throw error;
      }
      if (outcome.next !== stored.state) {
        await deps.save({
          shipmentId: id,
          next: outcome.next,
          expectedVersion: stored.version,
          events: outcome.events,
        });
      }
      return json(200, view(outcome.next), { 'x-request-id': requestId });
    });
  });
}

export const handler = instrument(lazyHandler(() => makeCarrierWebhook(defaultDeps())));
