import { paymentStatus, type OrderView } from './order-view.js';
import { causalOrder } from './timeline.js';

/** One order as `GET /customers/me/orders` lists it. */
export function orderSummary(view: OrderView) {
  const { status, lines, shipment } = view;
  return {
    orderId: view.orderId,
    status: status?.value ?? 'PENDING',
    ...(status?.reason !== undefined && { reason: status.reason }),
    // Known once inventory priced the order; an order refused for stock never is.
    ...(lines?.amountCents !== undefined && { amountCents: lines.amountCents }),
    ...(lines?.currency !== undefined && { currency: lines.currency }),
    lines: lines?.value ?? [],
    payment: {
      status: paymentStatus(view),
      authorizedCents: view.payment.authorized?.amountCents ?? 0,
      refundedCents: view.payment.refunded?.amountCents ?? 0,
    },
    shipment: {
      status: shipment.status?.value ?? 'NONE',
      ...(shipment.shipmentId !== undefined && { shipmentId: shipment.shipmentId }),
      ...(shipment.dispatch && {
        carrier: shipment.dispatch.carrier,
        trackingNumber: shipment.dispatch.trackingNumber,
      }),
    },
    ...(view.placedAt !== undefined && { placedAt: view.placedAt }),
    updatedAt: view.updatedAt,
  };
}

export type OrderSummary = ReturnType<typeof orderSummary>;

/** `GET /orders/{orderId}/timeline`. */
export function timelineOf(view: OrderView) {
  return { orderId: view.orderId, events: causalOrder(view.timeline) };
}
