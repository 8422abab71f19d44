import { InconsistentOrder, OrderNotFound, OrderRejected } from './errors.js';
import type {
  OrderCancelledEvent,
  OrderCommand,
  OrderConfirmedEvent,
  OrderEvent,
} from './messages.js';
import type {
  Authorization,
  ConfirmedOrder,
  Order,
  OrderState,
  PendingOrder,
  Pricing,
} from './state.js';

/**
 * What happens to an order when a command reaches it. Pure: the same command
 * on the same state always decides the same events; time comes in on the command.
 *
 * Rules shared by every event-command (delivery is at least once, in any order):
 * - an order that does not exist -> OrderNotFound is thrown (retried, then
 *   dead-lettered): an event never invents an order;
 * - an order already CANCELLED changes no more: inventory and payments undo
 *   their own work when they see OrderCancelled, whatever arrives late here;
 * - a redelivered event finds its effect already applied and decides nothing.
 */
export function decide(command: OrderCommand, state: OrderState): OrderEvent[] {
  switch (command.type) {
    case 'PlaceOrder': {
      // Ids are generated fresh per order, so this only guards against a bug.
      if (state.status !== 'NONE') {
        throw new OrderRejected(
          'OrderAlreadyExists',
          state.orderId,
          state.status,
          `Order ${state.orderId} already exists (${state.status}); place a new order with a new id.`,
        );
      }
      return [
        { type: 'OrderPlaced', at: command.at, data: { ...command.data, placedAt: command.at } },
      ];
    }

    case 'CancelOrder': {
      const order = existing(state, command.orderId, command.type);
      switch (order.status) {
        case 'PENDING':
          return [cancel(order, 'CUSTOMER_REQUEST', command.at)];
        case 'CONFIRMED':
          // Once the carrier has it, shipping can no longer stop it: refuse.
          if (order.dispatch) {
            return reject(
              order,
              `it is CONFIRMED and its shipment ${order.dispatch.shipmentId} was dispatched at ${order.dispatch.dispatchedAt}; a dispatched order can no longer be cancelled.`,
            );
          }
          return [cancel(order, 'CUSTOMER_REQUEST', command.at)];
        case 'CANCELLED':
          return reject(order, `it is already CANCELLED (reason ${order.reason}).`);
        case 'COMPLETED':
          return reject(order, `it is COMPLETED: it was delivered at ${order.completedAt}.`);
        default:
          return unreachable(order);
      }
    }

    case 'PriceOrder': {
      const order = existing(state, command.data.orderId, command.type);
      // Only a PENDING order waits for pricing; on any other status this is a
      // redelivery (CONFIRMED, COMPLETED) or too late to matter (CANCELLED).
      if (order.status !== 'PENDING') return [];
      // A duplicate: the first pricing stands.
      if (order.pricing) return [];
      const { lines, amountCents, currency } = command.data;
      const pricing: Pricing = { lines, amountCents, currency };
      assertPricesTheOrder(order, pricing);
      // The payment overtook the reservation (out-of-order delivery): now that
      // both are known, confirm. OrderConfirmed carries the pricing itself.
      if (order.authorization) return [confirm(order, pricing, order.authorization, command.at)];
      return [{ type: 'StockPriced', at: command.at, pricing }];
    }

    case 'AcceptPayment': {
      const order = existing(state, command.data.orderId, command.type);
      // CONFIRMED/COMPLETED: a redelivery. CANCELLED: payments refunds the
      // charge itself when it sees OrderCancelled.
      if (order.status !== 'PENDING') return [];
      // A duplicate of a payment still waiting for its pricing.
      if (order.authorization) return [];
      const { paymentId, amountCents, currency } = command.data;
      const authorization: Authorization = { paymentId, amountCents, currency };
      // Arrived before StockReserved: OrderConfirmed needs the priced lines, so
      // keep the authorization and confirm when the pricing arrives.
      if (!order.pricing) return [{ type: 'PaymentRecorded', at: command.at, ...authorization }];
      return [confirm(order, order.pricing, authorization, command.at)];
    }

    case 'CancelForShortage': {
      const order = existing(state, command.data.orderId, command.type);
      // After CONFIRMED this cannot happen causally (the payment followed a
      // reservation); it is ignored, not a crash. CANCELLED/COMPLETED: too late.
      if (order.status !== 'PENDING') return [];
      return [cancel(order, 'OUT_OF_STOCK', command.at)];
    }

    case 'CancelForDecline': {
      const order = existing(state, command.data.orderId, command.type);
      // Only a PENDING order is waiting for its payment; anything else is a
      // redelivery or a decline that lost the race to a cancellation.
      if (order.status !== 'PENDING') return [];
      return [cancel(order, 'PAYMENT_DECLINED', command.at)];
    }

    case 'RecordDispatch': {
      const order = existing(state, command.data.orderId, command.type);
      // Shipping ships only after OrderConfirmed, which is stored before it is
      // published, so only a CONFIRMED order can see this; elsewhere it changes nothing.
      if (order.status !== 'CONFIRMED' || order.dispatch) return [];
      return [{ type: 'DispatchRecorded', at: command.at, shipmentId: command.data.shipmentId }];
    }

    case 'CompleteOrder': {
      const order = existing(state, command.data.orderId, command.type);
      // Delivered completes a CONFIRMED order even if ShipmentDispatched has not
      // arrived yet (out of order). COMPLETED: a redelivery. CANCELLED stays so.
      if (order.status !== 'CONFIRMED') return [];
      return [
        {
          type: 'OrderCompleted',
          at: command.at,
          shipmentId: command.data.shipmentId,
          data: { orderId: order.orderId, customerId: order.customerId },
        },
      ];
    }

    case 'CancelForTimeout': {
      const order = existing(state, command.data.orderId, command.type);
      // Only an order still waiting on a step times out. CONFIRMED/COMPLETED:
      // the saga finished in time (a late or duplicate firing changes nothing);
      // CANCELLED: another cancellation won, and its compensation is under way.
      if (order.status !== 'PENDING') return [];
      return [cancel(order, 'TIMED_OUT', command.at)];
    }

    default:
      return unreachable(command);
  }
}

function existing(state: OrderState, orderId: string, commandType: string): Order {
  if (state.status === 'NONE') throw new OrderNotFound(orderId, commandType);
  return state;
}

function cancel(
  order: PendingOrder | ConfirmedOrder,
  reason: OrderCancelledEvent['data']['reason'],
  at: string,
): OrderCancelledEvent {
  return {
    type: 'OrderCancelled',
    at,
    data: {
      orderId: order.orderId,
      customerId: order.customerId,
      reason,
      previousStatus: order.status,
    },
  };
}

function confirm(
  order: PendingOrder,
  pricing: Pricing,
  authorization: Authorization,
  at: string,
): OrderConfirmedEvent {
  // Money is conserved only if the charge is the priced total.
  if (
    authorization.amountCents !== pricing.amountCents ||
    authorization.currency !== pricing.currency
  ) {
    throw new InconsistentOrder(
      order.orderId,
      `payment ${authorization.paymentId} authorized ${authorization.amountCents} ${authorization.currency} but the stock was priced at ${pricing.amountCents} ${pricing.currency}; not confirming.`,
    );
  }
  return {
    type: 'OrderConfirmed',
    at,
    paymentId: authorization.paymentId,
    data: {
      orderId: order.orderId,
      customerId: order.customerId,
      lines: pricing.lines,
      amountCents: pricing.amountCents,
      currency: pricing.currency,
      shippingAddressCiphertext: order.shippingAddressCiphertext,
    },
  };
}

/** Inventory prices the lines it was asked for; anything else is a bug worth stopping on. */
function assertPricesTheOrder(order: PendingOrder, pricing: Pricing): void {
  const ordered = new Map(order.lines.map((l) => [l.sku, l.quantity]));
  const matches =
    pricing.lines.length === ordered.size &&
    pricing.lines.every((l) => ordered.get(l.sku) === l.quantity);
  if (!matches) {
    throw new InconsistentOrder(
      order.orderId,
      `StockReserved priced ${JSON.stringify(pricing.lines.map((l) => [l.sku, l.quantity]))} but the order has ${JSON.stringify(order.lines.map((l) => [l.sku, l.quantity]))}; not recording it.`,
    );
  }
}

function reject(order: Order, why: string): never {
  throw new OrderRejected(
    'OrderNotCancellable',
    order.orderId,
    order.status,
    `Order ${order.orderId} cannot be cancelled: ${why}`,
  );
}

function unreachable(value: never): never {
  const _exhaustive: never = value;
  throw new Error(`Unhandled case: ${JSON.stringify(_exhaustive)}`);
}
