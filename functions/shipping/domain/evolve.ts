import type { ShipmentEvent } from './messages.js';
import type { Shipment } from './state.js';

/** What the state becomes once the events of a decision (published and internal) are applied. */
export function evolve(state: Shipment, event: ShipmentEvent): Shipment {
  switch (event.detailType) {
    case 'ShipmentScheduled': {
      const d = event.detail.data;
      return {
        status: 'SCHEDULED',
        shipmentId: d.shipmentId,
        orderId: d.orderId,
        customerId: d.customerId,
        shippingAddressCiphertext: d.shippingAddressCiphertext,
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
