import type { Shipment } from '../domain/state.js';

/** The public shape of a shipment, as both routes answer it. */
export function view(s: Shipment) {
  if (s.status === 'NONE' || s.status === 'VOID') return { status: s.status };
  return {
    shipmentId: s.shipmentId,
    orderId: s.orderId,
    customerId: s.customerId,
    status: s.status,
    shippingAddress: s.shippingAddress,
    carrier: 'carrier' in s ? s.carrier : undefined,
    trackingNumber: 'trackingNumber' in s ? s.trackingNumber : undefined,
    deliveredAt: 'deliveredAt' in s ? s.deliveredAt : undefined,
  };
}
