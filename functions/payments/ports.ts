import type { DomainEvent } from '#events/contract.js';
import type { CommitResult } from '#plumbing/outbox.js';
import type { Currency, Payment, RecordedPayment } from './domain/payment.js';

/** A payment as loaded, with the version its next save is conditioned on (0 = no item yet). */
export interface LoadedPayment {
  state: Payment;
  version: number;
}

export type LoadPayment = (orderId: string) => Promise<LoadedPayment>;

export interface PaymentChange {
  state: RecordedPayment;
  /** The version the change was decided on; the save fails with ConcurrentUpdateError otherwise. */
  expectedVersion: number;
  /** Published through the outbox, in the same transaction. */
  events: readonly DomainEvent[];
  /** The consumed event this change applies (its PROCESSED marker is written with it). */
  handledEventId?: string;
}

/** Throws ConcurrentUpdateError (plumbing/outbox) when the payment changed since it was loaded. */
export type SavePayment = (change: PaymentChange) => Promise<CommitResult>;

export interface ChargeRequest {
  orderId: string;
  amountCents: number;
  currency: Currency;
  token: string;
}

export type ChargeOutcome =
  | { outcome: 'authorized'; paymentId: string }
  | { outcome: 'declined'; code: string; message: string };

/**
 * Charges the provider with the order id as idempotency key. A decline is a
 * result; a transient failure (timeout, 5xx, circuit open) throws.
 */
export type Charge = (request: ChargeRequest) => Promise<ChargeOutcome>;

export interface RefundRequest {
  orderId: string;
  paymentId: string;
  amountCents: number;
}

/** Refunds a charge with `refund-<orderId>` as idempotency key; throws on any failure. */
export type Refund = (request: RefundRequest) => Promise<{ refundId: string }>;
