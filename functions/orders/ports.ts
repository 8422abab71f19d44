import type { DomainEvent } from '#events/contract.js';
import type { OrderDeadlinePassed } from '#events';
import type { CommitResult } from '#plumbing/outbox.js';
import type { Order } from './domain/state.js';

/** An order as stored, with the version its next write is conditioned on. */
export interface StoredOrder {
  order: Order;
  version: number;
}

/** Reads one order (strongly consistent); undefined when there is none. */
export type LoadOrder = (orderId: string) => Promise<StoredOrder | undefined>;

export interface OrderChange {
  order: Order;
  /** The version that was loaded; the write fails if another writer moved it on. */
  expectedVersion: number;
  /** Events to publish with the change (transactional outbox). */
  events: readonly DomainEvent[];
  /** The consumed event this change handles; a redelivery of it is answered 'duplicate'. */
  handledEventId?: string;
}

/**
 * Stores a changed order and its events in one transaction. Throws
 * ConcurrentUpdateError when the version moved (wrap in retryOnConflict).
 */
export type SaveOrder = (change: OrderChange) => Promise<CommitResult>;

/** The business-level Idempotency-Key of POST /orders and what it was first used for. */
export interface IdempotencyRecord {
  key: string;
  /** SHA-256 of the canonical request body. */
  requestHash: string;
  orderId: string;
}

/** Reads an Idempotency-Key record (strongly consistent); undefined when the key is new. */
export type FindIdempotencyKey = (key: string) => Promise<IdempotencyRecord | undefined>;

export interface NewOrder {
  order: Order;
  events: readonly DomainEvent[];
  idempotency: IdempotencyRecord;
}

/**
 * Stores a new order, its events and its Idempotency-Key in one transaction.
 * 'key-taken' when another request claimed the key first (nothing was written).
 */
export type CreateOrder = (change: NewOrder) => Promise<'created' | 'key-taken'>;

/** One order's deadline: when it fires, and the OrderDeadlinePassed it then delivers. */
export interface DeadlineSchedule {
  orderId: string;
  /** When the schedule fires (UTC, whole seconds). */
  fireAt: Date;
  event: DomainEvent<typeof OrderDeadlinePassed>;
}

/** Creates the order's one-time schedule; 'exists' when it was created before (idempotent on the order id). */
export type ScheduleDeadline = (schedule: DeadlineSchedule) => Promise<'created' | 'exists'>;

/** Deletes the order's schedule once it settled; 'gone' when it already fired or was deleted. */
export type CancelDeadline = (orderId: string) => Promise<'deleted' | 'gone'>;
