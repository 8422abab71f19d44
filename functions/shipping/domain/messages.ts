import type { Causation, DetailOf, DomainEvent } from '#events/contract.js';
import type {
  OrderCancelled,
  OrderConfirmed,
  ShipmentCancelled,
  ShipmentDelivered,
  ShipmentDispatched,
  ShipmentScheduled,
} from '#events';

/** What the carrier tells us through its webhook. */
export interface CarrierUpdate {
  carrierEventId: string;
  type: 'DISPATCHED' | 'DELIVERED';
  carrier: string;
  trackingNumber: string;
  occurredAt: string;
}

/*
 * Commands, in the imperative: OrderConfirmed schedules the order's shipment,
 * OrderCancelled cancels it, the carrier's webhook records an update. Events,
 * in the past tense: the four published ones, and two that only change the
 * stored state.
 */
export type ShipmentCommand =
  | { type: 'ScheduleShipment'; event: { detail: DetailOf<typeof OrderConfirmed> } }
  | { type: 'CancelShipment'; event: { detail: DetailOf<typeof OrderCancelled> } }
  | { type: 'RecordCarrierUpdate'; update: CarrierUpdate; cause: Causation };

export type PublishedShipmentEvent =
  | DomainEvent<typeof ShipmentScheduled>
  | DomainEvent<typeof ShipmentDispatched>
  | DomainEvent<typeof ShipmentDelivered>
  | DomainEvent<typeof ShipmentCancelled>;

/** Recorded in state, never published. */
export type InternalShipmentEvent =
  | { detailType: 'Voided'; shipmentId: string; orderId: string }
  | { detailType: 'CarrierEventSeen'; carrierEventId: string };

export type ShipmentEvent = PublishedShipmentEvent | InternalShipmentEvent;
