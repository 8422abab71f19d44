import type { PaymentEvent } from './messages.js';
import type { HistoryEntry, Payment } from './payment.js';
import { unreachable } from './unreachable.js';

export function evolve(state: Payment, event: PaymentEvent): Payment {
  const history: HistoryEntry[] = [
    ...(state.status === 'NONE' ? [] : state.history),
    { type: event.type, at: event.at },
  ];
  switch (event.type) {
    case 'ChargeStarted':
      return {
        status: 'CHARGING',
        orderId: event.orderId,
        ...ownerOf(event),
        amountCents: event.amountCents,
        currency: event.currency,
        cancelRequested: false,
        history,
      };
    case 'CancelledBeforeCharge':
      return {
        status: 'CANCELLED_BEFORE_CHARGE',
        orderId: event.orderId,
        ...ownerOf(event),
        history,
      };
    case 'ChargeSkipped':
      if (state.status !== 'CANCELLED_BEFORE_CHARGE') return invalid(state, event);
      return { ...state, skippedAmountCents: event.amountCents, history };
    case 'CancelRequested':
      if (state.status !== 'CHARGING') return invalid(state, event);
      return { ...state, cancelRequested: true, history };
    case 'Authorized':
      if (state.status !== 'CHARGING') return invalid(state, event);
      return {
        status: 'AUTHORIZED',
        orderId: state.orderId,
        ...ownerOf(state),
        amountCents: state.amountCents,
        currency: state.currency,
        paymentId: event.paymentId,
        history,
      };
    case 'Declined':
      if (state.status !== 'CHARGING') return invalid(state, event);
      return {
        status: 'DECLINED',
        orderId: state.orderId,
        ...ownerOf(state),
        amountCents: state.amountCents,
        currency: state.currency,
        declineCode: event.code,
        declineMessage: event.message,
        history,
      };
    case 'RefundStarted':
      if (state.status !== 'AUTHORIZED') return invalid(state, event);
      return { ...state, status: 'REFUND_PENDING', history };
    case 'Refunded':
      if (state.status !== 'REFUND_PENDING') return invalid(state, event);
      return { ...state, status: 'REFUNDED', refundId: event.refundId, history };
    default:
      return unreachable(event);
  }
}

/** An event that cannot follow this state: decide never produces one, so this is a bug. */
function invalid(state: Payment, event: PaymentEvent): never {
  throw new Error(
    `Payment event ${event.type} cannot apply to a payment in status ${state.status} (order ${event.orderId}); decide() must not produce it.`,
  );
}

function ownerOf(from: { customerId?: string | undefined }): { customerId?: string } {
  return from.customerId === undefined ? {} : { customerId: from.customerId };
}
