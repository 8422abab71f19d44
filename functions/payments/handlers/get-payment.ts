import * as z from 'zod';
import { orderId } from '#events/common.js';
import { HttpError, callerOf, httpHandler, json, mayAccess, parseParams } from '#plumbing/http.js';
import { instrument } from '#plumbing/lambda.js';
import { lazyHandler } from '#plumbing/lazy.js';
import { defaultDeps } from '../adapters/default-deps.js';
import { moneyOf, type RecordedPayment } from '../domain/payment.js';
import type { LoadPayment } from '../ports.js';

const params = z.strictObject({ orderId });

/** The public view of a payment: status, amounts, and what moved at the provider. */
export function toView(state: RecordedPayment) {
  // A tombstone has no amount of its own; show the one it refused to charge, if any.
  const amount =
    state.status === 'CANCELLED_BEFORE_CHARGE'
      ? { amountCents: state.skippedAmountCents ?? 0, currency: 'USD' }
      : { amountCents: state.amountCents, currency: state.currency };
  return {
    orderId: state.orderId,
    ...(state.customerId !== undefined && { customerId: state.customerId }),
    status: state.status,
    ...amount,
    ...('paymentId' in state ? { paymentId: state.paymentId } : {}),
    ...('refundId' in state ? { refundId: state.refundId } : {}),
    ...(state.status === 'DECLINED'
      ? { decline: { code: state.declineCode, message: state.declineMessage } }
      : {}),
    ...(state.status === 'CHARGING' && state.cancelRequested ? { cancelRequested: true } : {}),
    ...moneyOf(state),
    history: state.history,
  };
}

/**
 * GET /payments/{orderId}: 200 with the payment to its customer or an
 * operator; 404 if payments never heard of the order, and the same 404 to
 * anyone else.
 */
export function makeGetPayment(deps: { load: LoadPayment }) {
  return httpHandler(async (event) => {
    const caller = callerOf(event);
    const { orderId: id } = parseParams(event.pathParameters, params);
    const { state } = await deps.load(id);
    if (state.status === 'NONE' || !mayAccess(caller, state.customerId)) {
      throw new HttpError(
        404,
        'NotFound',
        `No payment for order ${id}. Payments starts one when the order's stock is reserved; check the order id or try again shortly.`,
        { orderId: id },
      );
    }
    return json(200, toView(state));
  });
}

export const handler = instrument(lazyHandler(() => makeGetPayment(defaultDeps())));
