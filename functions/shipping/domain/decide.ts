import { causedBy, createEvent, type Causation } from '#events/contract.js';
import {
  ShipmentCancelled,
  ShipmentDelivered,
  ShipmentDispatched,
  ShipmentScheduled,
} from '#events';
import { ShipmentRejection } from './errors.js';
import type { InternalShipmentEvent, PublishedShipmentEvent, ShipmentCommand } from './messages.js';
import { shipmentIdFor, type Shipment } from './state.js';

export interface Clock {
  now(): Date;
  newId(): string;
}

export function decide(
  command: ShipmentCommand,
  state: Shipment,
  clock?: Clock,
): PublishedShipmentEvent[] {
  const make = <C extends Parameters<typeof createEvent>[0]>(
    contract: C,
    data: Parameters<typeof createEvent<C>>[1],
    cause: Causation,
  ) => createEvent(contract, data, cause, clock?.now, clock?.newId);

  switch (command.type) {
    case 'ScheduleShipment': {
      // Scheduling happens once; a cancelled (VOID) order never gets a shipment.
      if (state.status !== 'NONE') return [];
      const { data } = command.event.detail;
      return [
        make(
          ShipmentScheduled,
          {
            shipmentId: shipmentIdFor(data.orderId),
            orderId: data.orderId,
            customerId: data.customerId,
            shippingAddressCiphertext: data.shippingAddressCiphertext,
          },
          causedBy(command.event),
        ),
      ];
    }
    case 'CancelShipment': {
      // Only a shipment not yet handed to the carrier can be called off. NONE becomes
      // VOID without an event: there was nothing to cancel, but a late confirmation must
      // find the tombstone. A dispatched one is past saving and is left to the carrier.
      if (state.status !== 'SCHEDULED') return [];
      return [
        make(
          ShipmentCancelled,
          { shipmentId: state.shipmentId, orderId: state.orderId, customerId: state.customerId },
          causedBy(command.event),
        ),
      ];
    }
    case 'RecordCarrierUpdate': {
      const { update } = command;
      if (state.status === 'NONE' || state.status === 'VOID') {
        throw new ShipmentRejection('No shipment was scheduled under this id.');
      }
      if (state.carrierEventIds.includes(update.carrierEventId)) return [];
      const ids = {
        shipmentId: state.shipmentId,
        orderId: state.orderId,
        customerId: state.customerId,
      };
      if (update.type === 'DISPATCHED') {
        if (state.status === 'DISPATCHED' || state.status === 'DELIVERED') return [];
        if (state.status === 'CANCELLED') {
          throw new ShipmentRejection('The shipment was cancelled; it must not be dispatched.');
        }
        return [
          make(
            ShipmentDispatched,
            { ...ids, carrier: update.carrier, trackingNumber: update.trackingNumber },
            command.cause,
          ),
        ];
      }
      if (state.status === 'DELIVERED') return [];
      if (state.status !== 'DISPATCHED') {
        throw new ShipmentRejection(
          `The shipment is ${state.status}; it can be delivered only after it was DISPATCHED.`,
        );
      }
      return [make(ShipmentDelivered, { ...ids, deliveredAt: update.occurredAt }, command.cause)];
    }
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

/** The internal events a command leaves in state besides the published ones. */
export function internalEventsOf(
  command: ShipmentCommand,
  state: Shipment,
): InternalShipmentEvent[] {
  if (command.type === 'CancelShipment' && state.status === 'NONE') {
    const { orderId } = command.event.detail.data;
    return [{ detailType: 'Voided', shipmentId: shipmentIdFor(orderId), orderId }];
  }
  if (
    command.type === 'RecordCarrierUpdate' &&
    'carrierEventIds' in state &&
    !state.carrierEventIds.includes(command.update.carrierEventId)
  ) {
    return [{ detailType: 'CarrierEventSeen', carrierEventId: command.update.carrierEventId }];
  }
  return [];
}
