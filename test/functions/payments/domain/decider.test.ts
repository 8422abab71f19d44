import { describe, expect, it } from 'vitest';
import { decide } from '../../../../functions/payments/domain/decide.js';
import { paymentDecider } from '../../../../functions/payments/domain/decider.js';
import { evolve } from '../../../../functions/payments/domain/evolve.js';
import type {
  PaymentCommand,
  PaymentEvent,
} from '../../../../functions/payments/domain/messages.js';
import { pendingCall } from '../../../../functions/payments/domain/pending-call.js';
import { messagesOf } from '../../../../functions/payments/domain/published.js';
import { moneyOf, type Payment } from '../../../../functions/payments/domain/payment.js';
import { spec } from '../../../support/given-when-then.js';

const orderId = 'ord-1';
const at = '2026-01-01T00:00:00.000Z';
const amountCents = 4200;
const paymentId = 'ch_1';

// Commands
const stockReserved: PaymentCommand = {
  type: 'StartCharge',
  orderId,
  amountCents,
  currency: 'USD',
  at,
};
const orderCancelled: PaymentCommand = { type: 'CancelPayment', orderId, at };
const authorizedAnswer: PaymentCommand = {
  type: 'CompleteCharge',
  orderId,
  result: { outcome: 'authorized', paymentId },
  at,
};
const declinedAnswer: PaymentCommand = {
  type: 'CompleteCharge',
  orderId,
  result: { outcome: 'declined', code: 'card_declined', message: 'Your card was declined.' },
  at,
};
const refundAnswer: PaymentCommand = { type: 'CompleteRefund', orderId, refundId: 're_1', at };

// Events
const chargeStarted: PaymentEvent = {
  type: 'ChargeStarted',
  orderId,
  amountCents,
  currency: 'USD',
  at,
};
const cancelledBeforeCharge: PaymentEvent = { type: 'CancelledBeforeCharge', orderId, at };
const chargeSkipped: PaymentEvent = { type: 'ChargeSkipped', orderId, amountCents, at };
const cancelRequested: PaymentEvent = { type: 'CancelRequested', orderId, at };
const authorized: PaymentEvent = {
  type: 'Authorized',
  orderId,
  paymentId,
  amountCents,
  currency: 'USD',
  at,
};
const declined: PaymentEvent = {
  type: 'Declined',
  orderId,
  code: 'card_declined',
  message: 'Your card was declined.',
  at,
};
const refundStarted: PaymentEvent = { type: 'RefundStarted', orderId, paymentId, amountCents, at };
const refunded: PaymentEvent = {
  type: 'Refunded',
  orderId,
  paymentId,
  refundId: 're_1',
  amountCents,
  currency: 'USD',
  at,
};

const { given } = spec(paymentDecider);
const stateAfter = (events: PaymentEvent[]): Payment =>
  events.reduce(evolve, paymentDecider.initialState);

describe('StockReserved', () => {
  it('on a new order records the intent to charge (CHARGING) before any provider call', () => {
    given([]).when(stockReserved).then([chargeStarted]);
    given([])
      .when(stockReserved)
      .thenState((s) => {
        expect(s).toMatchObject({ status: 'CHARGING', amountCents, cancelRequested: false });
        expect(pendingCall(s)).toEqual({ kind: 'charge', orderId, amountCents, currency: 'USD' });
      });
  });

  it('redelivered while CHARGING changes nothing; the charge is still pending, so it is re-called', () => {
    given([chargeStarted]).when(stockReserved).thenNothing();
    expect(pendingCall(stateAfter([chargeStarted]))).toMatchObject({ kind: 'charge' });
  });

  it.each([
    ['AUTHORIZED', [chargeStarted, authorized]],
    ['DECLINED', [chargeStarted, declined]],
    ['REFUND_PENDING', [chargeStarted, authorized, refundStarted]],
    ['REFUNDED', [chargeStarted, authorized, refundStarted, refunded]],
  ])('redelivered when %s does nothing', (_status, history) => {
    given(history).when(stockReserved).thenNothing();
  });

  it('after the tombstone (cancel came first) charges nothing and emits nothing', () => {
    given([cancelledBeforeCharge]).when(stockReserved).then([chargeSkipped]);
    given([cancelledBeforeCharge])
      .when(stockReserved)
      .thenState((s) => {
        expect(s).toMatchObject({
          status: 'CANCELLED_BEFORE_CHARGE',
          skippedAmountCents: amountCents,
        });
        expect(pendingCall(s)).toBeUndefined();
      });
    expect(messagesOf([chargeSkipped])).toEqual([]);
    // and a redelivery of it records nothing more
    given([cancelledBeforeCharge, chargeSkipped]).when(stockReserved).thenNothing();
  });
});

describe('the charge answer', () => {
  it('authorized -> AUTHORIZED and PaymentAuthorized', () => {
    given([chargeStarted]).when(authorizedAnswer).then([authorized]);
    given([chargeStarted])
      .when(authorizedAnswer)
      .thenState((s) => {
        expect(s).toMatchObject({ status: 'AUTHORIZED', paymentId });
        expect(moneyOf(s)).toEqual({ chargedCents: amountCents, refundedCents: 0 });
        expect(pendingCall(s)).toBeUndefined();
      });
    expect(messagesOf([authorized])).toEqual([
      {
        contract: expect.objectContaining({ detailType: 'PaymentAuthorized' }),
        data: { orderId, paymentId, amountCents, currency: 'USD' },
      },
    ]);
  });

  it('declined -> DECLINED and PaymentDeclined (a business result, nothing charged)', () => {
    given([chargeStarted]).when(declinedAnswer).then([declined]);
    given([chargeStarted])
      .when(declinedAnswer)
      .thenState((s) => {
        expect(s).toMatchObject({ status: 'DECLINED', declineCode: 'card_declined' });
        expect(moneyOf(s)).toEqual({ chargedCents: 0, refundedCents: 0 });
      });
    expect(messagesOf([declined])).toEqual([
      {
        contract: expect.objectContaining({ detailType: 'PaymentDeclined' }),
        data: { orderId, code: 'card_declined', message: 'Your card was declined.' },
      },
    ]);
  });

  it('that comes late (another attempt already completed the charge) changes nothing', () => {
    given([chargeStarted, authorized]).when(authorizedAnswer).thenNothing();
    given([chargeStarted, declined]).when(declinedAnswer).thenNothing();
    given([]).when(authorizedAnswer).thenNothing();
  });

  it('a long provider decline message is cut to what PaymentDeclined allows', () => {
    const [message] = messagesOf([{ ...declined, message: 'x'.repeat(900) }]);
    expect((message?.data as { message: string }).message).toHaveLength(500);
  });
});

describe('OrderCancelled', () => {
  it('before any StockReserved leaves a tombstone', () => {
    given([]).when(orderCancelled).then([cancelledBeforeCharge]);
    given([])
      .when(orderCancelled)
      .thenState((s) => expect(s).toMatchObject({ status: 'CANCELLED_BEFORE_CHARGE' }));
  });

  it('after authorization starts a refund (REFUND_PENDING, the refund call is owed)', () => {
    given([chargeStarted, authorized]).when(orderCancelled).then([refundStarted]);
    given([chargeStarted, authorized])
      .when(orderCancelled)
      .thenState((s) => {
        expect(s.status).toBe('REFUND_PENDING');
        expect(pendingCall(s)).toEqual({ kind: 'refund', orderId, paymentId, amountCents });
      });
    expect(messagesOf([refundStarted])).toEqual([]);
  });

  it('the refund answer -> REFUNDED and PaymentRefunded; the order keeps no money', () => {
    const history = [chargeStarted, authorized, refundStarted];
    given(history).when(refundAnswer).then([refunded]);
    given(history)
      .when(refundAnswer)
      .thenState((s) => {
        expect(s).toMatchObject({ status: 'REFUNDED', refundId: 're_1' });
        expect(moneyOf(s)).toEqual({ chargedCents: amountCents, refundedCents: amountCents });
        expect(pendingCall(s)).toBeUndefined();
      });
    expect(messagesOf([refunded])).toEqual([
      {
        contract: expect.objectContaining({ detailType: 'PaymentRefunded' }),
        data: { orderId, paymentId, amountCents, currency: 'USD' },
      },
    ]);
  });

  it.each([
    ['the tombstone (redelivered)', [cancelledBeforeCharge]],
    ['DECLINED (decline then cancel)', [chargeStarted, declined]],
    ['REFUND_PENDING (redelivered)', [chargeStarted, authorized, refundStarted]],
    ['REFUNDED (cancel after refund)', [chargeStarted, authorized, refundStarted, refunded]],
  ])('on %s does nothing', (_what, history) => {
    given(history).when(orderCancelled).thenNothing();
  });

  it('a late refund answer changes nothing', () => {
    given([chargeStarted, authorized, refundStarted, refunded]).when(refundAnswer).thenNothing();
    given([chargeStarted, authorized]).when(refundAnswer).thenNothing();
  });
});

describe('races', () => {
  it('cancel during the charge: marked, and the authorization refunds at once (both recorded)', () => {
    given([chargeStarted]).when(orderCancelled).then([cancelRequested]);
    given([chargeStarted, cancelRequested]).when(orderCancelled).thenNothing();
    given([chargeStarted, cancelRequested])
      .when(authorizedAnswer)
      .then([authorized, refundStarted]);
    const afterAnswer = stateAfter([chargeStarted, cancelRequested, authorized, refundStarted]);
    expect(afterAnswer.status).toBe('REFUND_PENDING');
    expect(pendingCall(afterAnswer)).toMatchObject({ kind: 'refund', paymentId });
    // PaymentAuthorized then (after the refund) PaymentRefunded: net zero.
    expect(messagesOf([authorized, refundStarted]).map((m) => m.contract.detailType)).toEqual([
      'PaymentAuthorized',
    ]);
    const end = decide(refundAnswer, afterAnswer).reduce(evolve, afterAnswer);
    expect(moneyOf(end)).toEqual({ chargedCents: amountCents, refundedCents: amountCents });
  });

  it('cancel during a charge that is then declined: nothing charged, nothing to refund', () => {
    given([chargeStarted, cancelRequested]).when(declinedAnswer).then([declined]);
    expect(pendingCall(stateAfter([chargeStarted, cancelRequested, declined]))).toBeUndefined();
  });

  it('cancel before the charge: the late StockReserved never reaches the provider', () => {
    const s = stateAfter([cancelledBeforeCharge, chargeSkipped]);
    expect(pendingCall(s)).toBeUndefined();
    expect(moneyOf(s)).toEqual({ chargedCents: 0, refundedCents: 0 });
  });

  it('the history records every step in order', () => {
    const s = stateAfter([chargeStarted, cancelRequested, authorized, refundStarted, refunded]);
    expect(s.status !== 'NONE' && s.history.map((h) => h.type)).toEqual([
      'ChargeStarted',
      'CancelRequested',
      'Authorized',
      'RefundStarted',
      'Refunded',
    ]);
  });
});

describe('evolve guards', () => {
  it('refuses an event that cannot follow the state (decide never produces one)', () => {
    expect(() => stateAfter([refunded])).toThrow(
      /Refunded cannot apply to a payment in status NONE/,
    );
    expect(() => stateAfter([chargeStarted, refundStarted])).toThrow(/RefundStarted/);
  });
});
