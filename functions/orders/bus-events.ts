import { createEvent, type Causation, type DomainEvent } from '#events/contract.js';
import { OrderCancelled, OrderCompleted, OrderConfirmed, OrderPlaced } from '#events';
import type { OrderEvent } from './domain/messages.js';

/**
 * The events of a decision that go on the bus, validated against their
 * contracts with ids and envelope added. Internal events (StockPriced,
 * PaymentRecorded, DispatchRecorded) only change the stored order.
 */
export function toBusEvents(
  events: readonly OrderEvent[],
  cause: Causation,
  now: () => Date = () => new Date(),
): DomainEvent[] {
  const out: DomainEvent[] = [];
  for (const event of events) {
    switch (event.type) {
      case 'OrderPlaced':
        out.push(createEvent(OrderPlaced, event.data, cause, now));
        break;
      case 'OrderConfirmed':
        out.push(createEvent(OrderConfirmed, event.data, cause, now));
        break;
      case 'OrderCancelled':
        out.push(createEvent(OrderCancelled, event.data, cause, now));
        break;
      case 'OrderCompleted':
        out.push(createEvent(OrderCompleted, event.data, cause, now));
        break;
      case 'StockPriced':
      case 'PaymentRecorded':
      case 'DispatchRecorded':
        break;
      default: {
        const _exhaustive: never = event;
        throw new Error(`Unhandled order event ${JSON.stringify(_exhaustive)}`);
      }
    }
  }
  return out;
}
