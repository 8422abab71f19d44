import type { OrderEvent } from './messages.js';
import type { Order, OrderState } from './state.js';

/**
 * The state after an event. Pure and total over what `decide` can produce; an
 * event that does not fit the state is a bug in `decide`, so it throws rather
 * than guess.
 */
export function evolve(state: OrderState, event: OrderEvent): OrderState {
  switch (event.type) {
    case 'OrderPlaced': {
      if (state.status !== 'NONE') return misfit(state, event);
      // The payment token is the event's only: payments charges with it, orders keeps none.
      const { orderId, customerId, lines, shippingAddressCiphertext, placedAt } = event.data;
      return {
        status: 'PENDING',
        orderId,
        customerId,
        lines,
        shippingAddressCiphertext,
        placedAt,
        updatedAt: event.at,
      };
    }
    case 'StockPriced':
      if (state.status !== 'PENDING') return misfit(state, event);
      return { ...state, pricing: event.pricing, updatedAt: event.at };
    case 'PaymentRecorded': {
      if (state.status !== 'PENDING') return misfit(state, event);
      const { paymentId, amountCents, currency } = event;
      return { ...state, authorization: { paymentId, amountCents, currency }, updatedAt: event.at };
    }
    case 'OrderConfirmed': {
      if (state.status !== 'PENDING') return misfit(state, event);
      const { lines, amountCents, currency } = event.data;
      return {
        ...common(state),
        status: 'CONFIRMED',
        pricing: { lines, amountCents, currency },
        authorization: { paymentId: event.paymentId, amountCents, currency },
        confirmedAt: event.at,
        updatedAt: event.at,
      };
    }
    case 'OrderCancelled':
      if (state.status !== 'PENDING' && state.status !== 'CONFIRMED') return misfit(state, event);
      return {
        ...common(state),
        status: 'CANCELLED',
        reason: event.data.reason,
        previousStatus: state.status,
        cancelledAt: event.at,
        updatedAt: event.at,
        ...(state.pricing && { pricing: state.pricing }),
        ...(state.authorization && { authorization: state.authorization }),
      };
    case 'DispatchRecorded':
      if (state.status !== 'CONFIRMED') return misfit(state, event);
      return {
        ...state,
        dispatch: { shipmentId: event.shipmentId, dispatchedAt: event.at },
        updatedAt: event.at,
      };
    case 'OrderCompleted':
      if (state.status !== 'CONFIRMED') return misfit(state, event);
      return {
        ...common(state),
        status: 'COMPLETED',
        pricing: state.pricing,
        authorization: state.authorization,
        confirmedAt: state.confirmedAt,
        shipmentId: event.shipmentId,
        completedAt: event.at,
        updatedAt: event.at,
      };
    default: {
      const _exhaustive: never = event;
      throw new Error(`Unhandled order event ${JSON.stringify(_exhaustive)}`);
    }
  }
}

/** What every status knows, without the status-specific fields of the previous one. */
function common(order: Order) {
  const { orderId, customerId, lines, shippingAddressCiphertext, placedAt, updatedAt } = order;
  return { orderId, customerId, lines, shippingAddressCiphertext, placedAt, updatedAt };
}

function misfit(state: OrderState, event: OrderEvent): never {
  throw new Error(
    `Cannot apply ${event.type} to an order in status ${state.status}: decide() produced an event its state does not allow.`,
  );
}
