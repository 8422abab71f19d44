import type { Currency } from './payment.js';

/*
 * Commands, in the imperative: what the consumed events ask (StockReserved:
 * start the charge; OrderCancelled: cancel the payment), and the answers of the
 * provider calls the handler made because of the state (see `pendingCall`).
 * Events, in the past tense: the facts recorded in the payment's history; a
 * few of them are also published (see published.ts). Their names are stored
 * in that history, so they are part of the table's format.
 */

export type PaymentCommand =
  | {
      type: 'StartCharge';
      orderId: string;
      /** The order's customer, kept so GET /payments answers only them (and operators). */
      customerId?: string;
      amountCents: number;
      currency: Currency;
      at: string;
    }
  | { type: 'CancelPayment'; orderId: string; customerId?: string; at: string }
  | { type: 'CompleteCharge'; orderId: string; result: ChargeResult; at: string }
  | { type: 'CompleteRefund'; orderId: string; refundId: string; at: string };

export type ChargeResult =
  | { outcome: 'authorized'; paymentId: string }
  | { outcome: 'declined'; code: string; message: string };

export type PaymentEvent =
  | {
      type: 'ChargeStarted';
      orderId: string;
      customerId?: string;
      amountCents: number;
      currency: Currency;
      at: string;
    }
  | { type: 'CancelledBeforeCharge'; orderId: string; customerId?: string; at: string }
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
