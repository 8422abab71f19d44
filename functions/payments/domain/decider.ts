import type { Currency, HistoryEntry, Payment } from './payment.js';
import { initialPayment } from './payment.js';

/*
 * The payment decider: pure, time comes in on every command (`at`).
 *
 * Commands are what happened to us: the two consumed events, and the answers
 * of the provider calls the handler made because of the state (see
 * `pendingCall`). Events are the facts recorded in the payment's history; a
 * few of them are also published (see messages.ts).
 */

export type PaymentCommand =
  | {
      type: 'ReceiveStockReserved';
      orderId: string;
      amountCents: number;
      currency: Currency;
      at: string;
    }
  | { type: 'ReceiveOrderCancelled'; orderId: string; at: string }
  | { type: 'CompleteCharge'; orderId: string; result: ChargeResult; at: string }
  | { type: 'CompleteRefund'; orderId: string; refundId: string; at: string };

export type ChargeResult =
  | { outcome: 'authorized'; paymentId: string }
  | { outcome: 'declined'; code: string; message: string };

export type PaymentEvent =
  | {
      type: 'ChargeStarted';
      orderId: string;
      amountCents: number;
      currency: Currency;
      at: string;
    }
  | { type: 'CancelledBeforeCharge'; orderId: string; at: string }
  | { type: 'ChargeSkipped'; orderId: string; amountCents: number; at: string }
  | { type: 'CancelRequested'; orderId: string; at: string }
  | {
      type: 'Authorized';
      orderId: string;
      paymentId: string;
      amountCents: number;
      currency: Currency;
      at: string;
    }
  | { type: 'Declined'; orderId: string; code: string; message: string; at: string }
  | {
      type: 'RefundStarted';
      orderId: string;
      paymentId: string;
      amountCents: number;
      at: string;
    }
  | {
      type: 'Refunded';
      orderId: string;
      paymentId: string;
      refundId: string;
      amountCents: number;
      currency: Currency;
      at: string;
    };

export function decide(command: PaymentCommand, state: Payment): PaymentEvent[] {
  const { orderId, at } = command;
  switch (command.type) {
    case 'ReceiveStockReserved':
      switch (state.status) {
        case 'NONE':
          return [
            {
              type: 'ChargeStarted',
              orderId,
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

    case 'ReceiveOrderCancelled':
      switch (state.status) {
        case 'NONE':
          return [{ type: 'CancelledBeforeCharge', orderId, at }];
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
        amountCents: event.amountCents,
        currency: event.currency,
        cancelRequested: false,
        history,
      };
    case 'CancelledBeforeCharge':
      return { status: 'CANCELLED_BEFORE_CHARGE', orderId: event.orderId, history };
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

/**
 * The provider call a state is waiting for. The handler makes it, then feeds
 * the answer back as CompleteCharge / CompleteRefund. Deriving it from the
 * state (not from the command) is what lets any later delivery finish the work
 * of one that crashed mid-call.
 */
export type PendingCall =
  | { kind: 'charge'; orderId: string; amountCents: number; currency: Currency }
  | { kind: 'refund'; orderId: string; paymentId: string; amountCents: number };

export function pendingCall(state: Payment): PendingCall | undefined {
  switch (state.status) {
    case 'CHARGING':
      return {
        kind: 'charge',
        orderId: state.orderId,
        amountCents: state.amountCents,
        currency: state.currency,
      };
    case 'REFUND_PENDING':
      return {
        kind: 'refund',
        orderId: state.orderId,
        paymentId: state.paymentId,
        amountCents: state.amountCents,
      };
    case 'NONE':
    case 'CANCELLED_BEFORE_CHARGE':
    case 'AUTHORIZED':
    case 'DECLINED':
    case 'REFUNDED':
      return undefined;
    default:
      return unreachable(state);
  }
}

/** The decider as one object, the shape the given/when/then helper takes. */
export const paymentDecider = { initialState: initialPayment, decide, evolve };

/** An event that cannot follow this state: decide never produces one, so this is a bug. */
function invalid(state: Payment, event: PaymentEvent): never {
  throw new Error(
    `Payment event ${event.type} cannot apply to a payment in status ${state.status} (order ${event.orderId}); decide() must not produce it.`,
  );
}

function unreachable(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
