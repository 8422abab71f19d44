import { createHash } from 'node:crypto';
import {
  causedBy,
  createEvent,
  type Causation,
  type DetailOf,
  type DomainEvent,
} from '../../../events/contract.js';
import type { OrderCancelled, OrderConfirmed } from '../../../events/index.js';
import {
  ShipmentCancelled,
  ShipmentDelivered,
  ShipmentDispatched,
  ShipmentScheduled,
} from '../../../events/index.js';

type Address = DetailOf<typeof OrderConfirmed>['data']['shippingAddress'];

interface Known {
  shipmentId: string;
  orderId: string;
  customerId: string;
  shippingAddress: Address;
  /** Carrier event ids already applied, so a re-sent webhook changes nothing. */
  carrierEventIds: string[];
}

/** One shipment per order; the state says what may still happen to it. */
export type Shipment =
  | { status: 'NONE' }
  /** OrderCancelled overtook OrderConfirmed: a later confirmation must schedule nothing. */
  | { status: 'VOID'; shipmentId: string; orderId: string }
  | (Known & { status: 'SCHEDULED' })
  | (Known & { status: 'DISPATCHED'; carrier: string; trackingNumber: string })
  | (Known & { status: 'DELIVERED'; carrier: string; trackingNumber: string; deliveredAt: string })
  | (Known & { status: 'CANCELLED' });

export type ShipmentStatus = Shipment['status'];

/** What the carrier tells us through its webhook. */
export interface CarrierUpdate {
  carrierEventId: string;
  type: 'DISPATCHED' | 'DELIVERED';
  carrier: string;
  trackingNumber: string;
  occurredAt: string;
}

export type Command =
  | { type: 'Confirm'; event: { detail: DetailOf<typeof OrderConfirmed> } }
  | { type: 'Cancel'; event: { detail: DetailOf<typeof OrderCancelled> } }
  | { type: 'CarrierUpdate'; update: CarrierUpdate; cause: Causation };

/** A carrier update that cannot apply; the webhook answers 409 with this reason. */
export class ShipmentRejection extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShipmentRejection';
  }
}

export const initialState: Shipment = { status: 'NONE' };

/**
 * The shipment of an order has an id derived from the order id, so a
 * redelivered or replayed OrderConfirmed can never schedule a second one, and a
 * carrier (or the README's curl) can address it knowing only the order.
 */
export function shipmentIdFor(orderId: string): string {
  const plain = `shp_${orderId}`;
  if (plain.length <= 64) return plain;
  return `shp_${createHash('sha256').update(orderId).digest('hex').slice(0, 40)}`;
}

export interface Clock {
  now(): Date;
  newId(): string;
}

export function decide(command: Command, state: Shipment, clock?: Clock): DomainEvent[] {
  const make = <C extends Parameters<typeof createEvent>[0]>(
    contract: C,
    data: Parameters<typeof createEvent<C>>[1],
    cause: Causation,
  ) => createEvent(contract, data, cause, clock?.now, clock?.newId);

  switch (command.type) {
    case 'Confirm': {
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
            shippingAddress: data.shippingAddress,
          },
          causedBy(command.event),
        ),
      ];
    }
    case 'Cancel': {
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
    case 'CarrierUpdate': {
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

export type ShipmentEvent =
  | DomainEvent<typeof ShipmentScheduled>
  | DomainEvent<typeof ShipmentDispatched>
  | DomainEvent<typeof ShipmentDelivered>
  | DomainEvent<typeof ShipmentCancelled>;

/** What the state becomes once the events of a decision (and the command's facts) are applied. */
export function evolve(state: Shipment, event: ShipmentEvent | CommandFact): Shipment {
  switch (event.detailType) {
    case 'ShipmentScheduled': {
      const d = event.detail.data;
      return {
        status: 'SCHEDULED',
        shipmentId: d.shipmentId,
        orderId: d.orderId,
        customerId: d.customerId,
        shippingAddress: d.shippingAddress,
        carrierEventIds: [],
      };
    }
    case 'ShipmentDispatched': {
      if (state.status !== 'SCHEDULED') return state;
      const d = event.detail.data;
      return {
        ...state,
        status: 'DISPATCHED',
        carrier: d.carrier,
        trackingNumber: d.trackingNumber,
      };
    }
    case 'ShipmentDelivered': {
      if (state.status !== 'DISPATCHED') return state;
      return { ...state, status: 'DELIVERED', deliveredAt: event.detail.data.deliveredAt };
    }
    case 'ShipmentCancelled':
      return state.status === 'SCHEDULED' ? { ...state, status: 'CANCELLED' } : state;
    case 'Voided':
      return state.status === 'NONE'
        ? { status: 'VOID', shipmentId: event.shipmentId, orderId: event.orderId }
        : state;
    case 'CarrierEventSeen':
      return 'carrierEventIds' in state
        ? { ...state, carrierEventIds: [...state.carrierEventIds, event.carrierEventId].slice(-20) }
        : state;
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

/** Facts recorded in state that publish no event of their own. */
export type CommandFact =
  | { detailType: 'Voided'; shipmentId: string; orderId: string }
  | { detailType: 'CarrierEventSeen'; carrierEventId: string };

/** The facts a command leaves in state besides its events. */
export function factsOf(command: Command, state: Shipment): CommandFact[] {
  if (command.type === 'Cancel' && state.status === 'NONE') {
    const { orderId } = command.event.detail.data;
    return [{ detailType: 'Voided', shipmentId: shipmentIdFor(orderId), orderId }];
  }
  if (
    command.type === 'CarrierUpdate' &&
    'carrierEventIds' in state &&
    !state.carrierEventIds.includes(command.update.carrierEventId)
  ) {
    return [{ detailType: 'CarrierEventSeen', carrierEventId: command.update.carrierEventId }];
  }
  return [];
}

/** Decide, then fold the outcome into the next state: what a handler stores. */
export function handle(
  command: Command,
  state: Shipment,
  clock?: Clock,
): { events: DomainEvent[]; next: Shipment } {
  const events = decide(command, state, clock);
  const next = [...(events as ShipmentEvent[]), ...factsOf(command, state)].reduce(evolve, state);
  return { events, next };
}
