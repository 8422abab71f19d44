import type { PaymentCommand, PaymentEvent } from './messages.js';
import type { Payment } from './payment.js';
import { unreachable } from './unreachable.js';

/** What a command means for the payment: pure, time comes in on every command (`at`). */
export function decide(command: PaymentCommand, state: Payment): PaymentEvent[] {
  const { orderId, at } = command;
  switch (command.type) {
    case 'StartCharge':
      switch (state.status) {
        case 'NONE':
          return [
            {
              type: 'ChargeStarted',
              orderId,
              ...ownerOf(command),
              amountCents: command.amountCents,
              currency: command.currency,
              at,
            },
          ];
        case 'CANCELLED_BEFORE_CHARGE':
          // Remember what was not charged (once), so the record explains itself.
          return state.skippedAmountCents === undefined
            ? [{ type: 'ChargeSkipped', orderId, amountCents: command.amountCents, at }]
            : [];
        // A redelivery: CHARGING is completed by the handler (pendingCall), the rest is done.
        case 'CHARGING':
        case 'AUTHORIZED':
        case 'DECLINED':
        case 'REFUND_PENDING':
        case 'REFUNDED':
          return [];
        default:
          return unreachable(state);
      }

    case 'CancelPayment':
      switch (state.status) {
        case 'NONE':
          return [{ type: 'CancelledBeforeCharge', orderId, ...ownerOf(command), at }];
        case 'CHARGING':
          return state.cancelRequested ? [] : [{ type: 'CancelRequested', orderId, at }];
        case 'AUTHORIZED':
          return [
            {
              type: 'RefundStarted',
              orderId,
              paymentId: state.paymentId,
              amountCents: state.amountCents,
              at,
            },
          ];
        // Nothing charged, or already refunded / being refunded.
        case 'CANCELLED_BEFORE_CHARGE':
        case 'DECLINED':
        case 'REFUND_PENDING':
        case 'REFUNDED':
          return [];
        default:
          return unreachable(state);
      }

    case 'CompleteCharge': {
      // Only the charge we are waiting for counts; a late answer of a concurrent
      // attempt (same idempotency key, so the same answer) finds the work done.
      if (state.status !== 'CHARGING') return [];
      const { result } = command;
      if (result.outcome === 'declined') {
        return [{ type: 'Declined', orderId, code: result.code, message: result.message, at }];
      }
      const authorized: PaymentEvent = {
        type: 'Authorized',
        orderId,
        paymentId: result.paymentId,
        amountCents: state.amountCents,
        currency: state.currency,
        at,
      };
      if (!state.cancelRequested) return [authorized];
      // The order was cancelled while we charged: keep no money.
      return [
        authorized,
        {
          type: 'RefundStarted',
          orderId,
          paymentId: result.paymentId,
          amountCents: state.amountCents,
          at,
        },
      ];
    }

    case 'CompleteRefund':
      if (state.status !== 'REFUND_PENDING') return [];
      return [
        {
          type: 'Refunded',
          orderId,
          paymentId: state.paymentId,
          refundId: command.refundId,
          amountCents: state.amountCents,
          currency: state.currency,
          at,
        },
      ];

    default:
      return unreachable(command);
  }
}

/** The customer a payment belongs to, when the command names one. */
function ownerOf(command: { customerId?: string }): { customerId?: string } {
  return command.customerId === undefined ? {} : { customerId: command.customerId };
}
