import type { Order } from '../domain/state.js';

export const orderPath = (orderId: string) => `/orders/${orderId}`;

/**
 * The order as clients see it: status, why it was cancelled, lines (priced
 * once inventory priced them), the amount when known, and timestamps. The
 * payment token is never stored, so never shown; the address is stored only
 * encrypted for shipping, so the view says it is on file without showing it.
 */
export function orderView(order: Order) {
  const { pricing } = order;
  const self = orderPath(order.orderId);
  const view = {
    orderId: order.orderId,
    customerId: order.customerId,
    status: order.status,
    lines: pricing?.lines ?? order.lines,
    ...(pricing && { amountCents: pricing.amountCents, currency: pricing.currency }),
    shippingAddressOnFile: true,
    placedAt: order.placedAt,
    updatedAt: order.updatedAt,
  };
  const cancel = { self, cancel: `${self}/cancel` };
  switch (order.status) {
    case 'PENDING':
      return { ...view, links: cancel };
    case 'CONFIRMED':
      return {
        ...view,
        confirmedAt: order.confirmedAt,
        ...(order.dispatch && {
          shipmentId: order.dispatch.shipmentId,
          dispatchedAt: order.dispatch.dispatchedAt,
        }),
        links: order.dispatch ? { self } : cancel,
      };
    case 'CANCELLED':
      return { ...view, reason: order.reason, cancelledAt: order.cancelledAt, links: { self } };
    case 'COMPLETED':
      return {
        ...view,
        confirmedAt: order.confirmedAt,
        shipmentId: order.shipmentId,
        completedAt: order.completedAt,
        links: { self },
      };
    default: {
      const _exhaustive: never = order;
      throw new Error(`Unhandled order ${JSON.stringify(_exhaustive)}`);
    }
  }
}
