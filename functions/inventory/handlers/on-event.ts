import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { causedBy, createEvent, type Causation, type DomainEvent } from '#events/contract.js';
import { StockReleased, StockReservationFailed, StockReserved } from '#events';
import { createConsumer, type Consumed, type EventHandler } from '#plumbing/consumer.js';
import { instrument } from '#plumbing/lambda.js';
import { lazyHandler } from '#plumbing/lazy.js';
import { retryOnConflict } from '#plumbing/retry-on-conflict.js';
import { logger, metrics } from '#plumbing/powertools.js';
import { defaultDeps } from '../adapters/default-deps.js';
import { consumes } from '../consumes.js';
import { decide } from '../domain/decide.js';
import type { InventoryCommand, InventoryEvent } from '../domain/messages.js';
import type { LoadInventoryState, SaveInventoryDecision } from '../ports.js';

type Consumes = (typeof consumes)[number];

export interface OnEventDeps {
  load: LoadInventoryState;
  save: SaveInventoryDecision;
}

function toCommand(event: Consumed<Consumes>): InventoryCommand {
  switch (event['detail-type']) {
    case 'OrderPlaced': {
      const { orderId, customerId, lines, paymentTokenCiphertext } = event.detail.data;
      return { type: 'ReserveStock', orderId, customerId, lines, paymentTokenCiphertext };
    }
    case 'OrderCancelled': {
      const { orderId, customerId } = event.detail.data;
      return { type: 'ReleaseStock', orderId, customerId };
    }
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

/** The bus event of an inventory event; the tombstone is private and publishes nothing. */
function published(fact: InventoryEvent, cause: Causation): DomainEvent[] {
  switch (fact.type) {
    case 'StockReserved':
      return [createEvent(StockReserved, fact.data, cause)];
    case 'StockReservationFailed':
      return [createEvent(StockReservationFailed, fact.data, cause)];
    case 'StockReleased':
      return [createEvent(StockReleased, fact.data, cause)];
    case 'CancellationRecorded':
      return [];
    default: {
      const _exhaustive: never = fact;
      return _exhaustive;
    }
  }
}

/** Load, decide, commit; again from a fresh load if stock or the reservation moved meanwhile. */
export function makeHandle(deps: OnEventDeps): EventHandler<Consumes> {
  return async (event) => {
    const command = toCommand(event);
    // A cancellation needs only the reservation: its release is a delta on each product.
    const skus = command.type === 'ReserveStock' ? command.lines.map((l) => l.sku) : [];
    await retryOnConflict(async () => {
      const before = await deps.load(command.orderId, skus);
      const facts = decide(command, before);
      if (facts.length === 0) {
        logger.info('Nothing to do for this order', {
          orderId: command.orderId,
          reservation: before.reservation?.status ?? 'none',
        });
        return;
      }
      const result = await deps.save({
        before,
        facts,
        events: facts.flatMap((fact) => published(fact, causedBy(event))),
        handledEventId: event.detail.metadata.eventId,
      });
      logger.info('Decision stored', {
        orderId: command.orderId,
        facts: facts.map((f) => f.type),
        result,
      });
      if (result === 'committed') {
        for (const fact of facts) metrics.addMetric(fact.type, MetricUnit.Count, 1);
      }
    });
  };
}

export function makeOnEvent(deps: OnEventDeps) {
  return createConsumer({ consumes, handle: makeHandle(deps) });
}

export const handler = instrument(lazyHandler(() => makeOnEvent(defaultDeps())));
