import * as z from 'zod';
import { cents, currency, customerId, orderId, paymentId } from '#events/common.js';

/**
 * The payment of one order. Stored as a snapshot (one item per order); the
 * schema is the single source of the type and validates what the table returns.
 *
 * NONE                     nothing known yet (no item)
 * CANCELLED_BEFORE_CHARGE  tombstone: OrderCancelled came first, a later StockReserved charges nothing
 * CHARGING                 intent recorded before calling the provider (a crash leaves it here; a
 *                          redelivered StockReserved re-calls the provider with the same key)
 * AUTHORIZED               the provider charged the order total
 * DECLINED                 the provider refused; nothing was charged
 * REFUND_PENDING           a refund is owed; whichever handler sees this state completes it
 * REFUNDED                 charged and refunded in full: the order keeps no money
 */
export const PAYMENT_STATUSES = [
  'NONE',
  'CANCELLED_BEFORE_CHARGE',
  'CHARGING',
  'AUTHORIZED',
  'DECLINED',
  'REFUND_PENDING',
  'REFUNDED',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

const timestamp = z.iso.datetime({ offset: true });

export const historyEntrySchema = z.object({
  type: z.string(),
  at: timestamp,
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

/** customerId: the order's customer (absent on payments recorded before it was kept: operators only). */
const recorded = {
  orderId,
  customerId: customerId.optional(),
  history: z.array(historyEntrySchema),
};
const amount = { amountCents: cents, currency };

export const paymentSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('NONE') }),
  z.object({
    status: z.literal('CANCELLED_BEFORE_CHARGE'),
    ...recorded,
    /** The amount of a StockReserved that arrived after the cancellation and was not charged. */
    skippedAmountCents: cents.optional(),
  }),
  z.object({
    status: z.literal('CHARGING'),
    ...recorded,
    ...amount,
    /** OrderCancelled overtook the in-flight charge: refund as soon as it is authorized. */
    cancelRequested: z.boolean(),
  }),
  z.object({ status: z.literal('AUTHORIZED'), ...recorded, ...amount, paymentId }),
  z.object({
    status: z.literal('DECLINED'),
    ...recorded,
    ...amount,
    declineCode: z.string(),
    declineMessage: z.string(),
  }),
  z.object({ status: z.literal('REFUND_PENDING'), ...recorded, ...amount, paymentId }),
  z.object({
    status: z.literal('REFUNDED'),
    ...recorded,
    ...amount,
    paymentId,
    refundId: z.string(),
  }),
]);

export type Payment = z.infer<typeof paymentSchema>;
/** Every state that is stored (all but NONE). */
export type RecordedPayment = Exclude<Payment, { status: 'NONE' }>;
export type Currency = z.infer<typeof currency>;

export const initialPayment: Payment = { status: 'NONE' };

/** Money that moved at the provider for this order, as this state knows it. */
export function moneyOf(state: Payment): { chargedCents: number; refundedCents: number } {
  switch (state.status) {
    case 'NONE':
    case 'CANCELLED_BEFORE_CHARGE':
    case 'CHARGING':
    case 'DECLINED':
      return { chargedCents: 0, refundedCents: 0 };
    case 'AUTHORIZED':
    case 'REFUND_PENDING':
      return { chargedCents: state.amountCents, refundedCents: 0 };
    case 'REFUNDED':
      return { chargedCents: state.amountCents, refundedCents: state.amountCents };
    default: {
      const _exhaustive: never = state;
      return _exhaustive;
    }
  }
}
