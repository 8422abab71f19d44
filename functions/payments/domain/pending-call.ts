import type { Currency, Payment } from './payment.js';
import { unreachable } from './unreachable.js';

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
