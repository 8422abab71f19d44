import { causedBy } from '#events/contract.js';
import { createConsumer, type Consumed, type EventHandler } from '#plumbing/consumer.js';
import { instrument } from '#plumbing/lambda.js';
import { lazyHandler } from '#plumbing/lazy.js';
import { retryOnConflict } from '#plumbing/retry-on-conflict.js';
import { logger } from '#plumbing/powertools.js';
import { defaultDeps } from '../adapters/default-deps.js';
import { toBusEvents } from '../bus-events.js';
import { consumes, scheduledConsumes } from '../consumes.js';
import { run } from '../domain/decider.js';
import { recordSagaMetrics } from './saga-metrics.js';
import { OrderNotFound } from '../domain/errors.js';
import type { OrderCommand } from '../domain/messages.js';
import type { LoadOrder, SaveOrder } from '../ports.js';

/** What the orders queue carries: the bus's events and the scheduler's deadlines. */
const queueConsumes = [...consumes, ...scheduledConsumes] as const;
type Consumes = (typeof queueConsumes)[number];
export type OrdersInboundEvent = Consumed<Consumes>;

export interface OnEventDeps {
  loadOrder: LoadOrder;
  saveOrder: SaveOrder;
  now: () => Date;
}

/** A consumed event as a command to the order it names. */
export function toCommand(event: OrdersInboundEvent, at: string): OrderCommand {
  switch (event['detail-type']) {
    case 'StockReserved':
      return { type: 'PriceOrder', at, data: event.detail.data };
    case 'StockReservationFailed':
      return { type: 'CancelForShortage', at, data: event.detail.data };
    case 'PaymentAuthorized':
      return { type: 'AcceptPayment', at, data: event.detail.data };
    case 'PaymentDeclined':
      return { type: 'CancelForDecline', at, data: event.detail.data };
    case 'ShipmentDispatched':
      return { type: 'RecordDispatch', at, data: event.detail.data };
    case 'ShipmentDelivered':
      return { type: 'CompleteOrder', at, data: event.detail.data };
    case 'OrderDeadlinePassed':
      return { type: 'CancelForTimeout', at, data: event.detail.data };
    default: {
      const _exhaustive: never = event;
      throw new Error(`Unhandled event ${JSON.stringify(_exhaustive)}`);
    }
  }
}

/**
 * Load -> decide -> commit for one consumed event. The commit carries the
 * event's PROCESSED marker, so a redelivery or replay changes nothing (the one
 * deduplication, ADR 18); a lost optimistic-concurrency race is retried on
 * fresh state.
 */
export function makeHandle(deps: OnEventDeps): EventHandler<Consumes> {
  return async (event) => {
    const { orderId } = event.detail.data;
    const type = event['detail-type'];
    await retryOnConflict(async () => {
      const stored = await deps.loadOrder(orderId);
      // An event never creates an order: throwing sends the message back to
      // the queue, and, if the order never appears, to the dead-letter queue.
      if (!stored) throw new OrderNotFound(orderId, type);
      const at = deps.now();
      const { events, order } = run(toCommand(event, at.toISOString()), stored.order);
      if (events.length === 0) {
        logger.info('Event changes nothing for this order', { orderId, status: order.status });
        return;
      }
      const busEvents = toBusEvents(events, causedBy(event), () => at);
      const result = await deps.saveOrder({
        order,
        expectedVersion: stored.version,
        events: busEvents,
        handledEventId: event.detail.metadata.eventId,
      });
      if (result === 'duplicate') {
        logger.info('Event was already handled; nothing changed', { orderId });
        return;
      }
      recordSagaMetrics(busEvents, order.placedAt, at);
      logger.info('Order updated', {
        orderId,
        status: order.status,
        emitted: events.map((e) => e.type),
      });
    });
  };
}

/** The SQS consumer around makeHandle: batch, parse, deduplicate, partial response. */
export function makeOnEvent(deps: OnEventDeps) {
  return createConsumer({ consumes: queueConsumes, handle: makeHandle(deps) });
}

export const handler = instrument(lazyHandler(() => makeOnEvent(defaultDeps())));
