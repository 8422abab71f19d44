import type { Address, Shipment } from '../domain/state.js';

/**
 * The public shape of a shipment, as both routes answer it. The address is
 * shown only when the caller opened it (GET /shipments/{id}); otherwise the
 * view says it is on file.
 */
export function view(s: Shipment, shippingAddress?: Address) {
  if (s.status === 'NONE' || s.status === 'VOID') return { status: s.status };
  return {
    shipmentId: s.shipmentId,
    orderId: s.orderId,
    customerId: s.customerId,
    status: s.status,
    ...(shippingAddress ? { shippingAddress } : { shippingAddressOnFile: true }),
    carrier: 'carrier' in s ? s.carrier : undefined,
    trackingNumber: 'trackingNumber' in s ? s.trackingNumber : undefined,
    deliveredAt: 'deliveredAt' in s ? s.deliveredAt : undefined,
  };
}
