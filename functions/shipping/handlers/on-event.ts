import { createConsumer, type Consumed } from '#plumbing/consumer.js';
import { instrument } from '#plumbing/lambda.js';
import { lazyHandler } from '#plumbing/lazy.js';
import { retryOnConflict } from '#plumbing/retry-on-conflict.js';
import { logger } from '#plumbing/powertools.js';
import { defaultDeps } from '../adapters/default-deps.js';
import { consumes } from '../consumes.js';
import type { Clock } from '../domain/decide.js';
import { handle } from '../domain/decider.js';
import type { ShipmentCommand } from '../domain/messages.js';
import { initialState, shipmentIdFor } from '../domain/state.js';
import type { LoadShipment, SaveShipment } from '../ports.js';

export interface OnEventDeps {
  load: LoadShipment;
  save: SaveShipment;
  clock?: Clock;
}

/** OrderConfirmed schedules the order's shipment; OrderCancelled calls it off if not yet dispatched. */
export function makeHandle(deps: OnEventDeps) {
  return (event: Consumed<(typeof consumes)[number]>) =>
    retryOnConflict(async () => {
      const shipmentId = shipmentIdFor(event.detail.data.orderId);
      const stored = (await deps.load(shipmentId)) ?? { state: initialState, version: 0 };
      const command: ShipmentCommand =
        event['detail-type'] === 'OrderConfirmed'
          ? { type: 'ScheduleShipment', event }
          : { type: 'CancelShipment', event };
      const { events, next } = handle(command, stored.state, deps.clock);
      if (next === stored.state) return; // nothing to record: a duplicate or a no-op
      if (event['detail-type'] === 'OrderCancelled' && stored.state.status === 'DISPATCHED') {
        logger.warn('Order cancelled after its shipment was dispatched', { shipmentId });
      }
      await deps.save({
        shipmentId,
        next,
        expectedVersion: stored.version,
        events,
        handledEventId: event.detail.metadata.eventId,
      });
    });
}

/** The SQS consumer around makeHandle: batch, parse, deduplicate, partial response. */
export function makeOnEvent(deps: OnEventDeps) {
  return createConsumer({ consumes, handle: makeHandle(deps) });
}

export const handler = instrument(lazyHandler(() => makeOnEvent(defaultDeps())));
