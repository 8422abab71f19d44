import type { OrderStatus } from './state.js';

/** A command the order refuses, for a business reason the caller can act on. */
export class OrderRejected extends Error {
  constructor(
    readonly code: 'OrderNotCancellable' | 'OrderAlreadyExists',
    readonly orderId: string,
    readonly status: OrderStatus,
    message: string,
  ) {
    super(message);
    this.name = 'OrderRejected';
  }
}

/**
 * A command for an order that does not exist. For an event this means the
 * event overtook the order's row, which the outbox makes impossible but a
 * replay could cause: it is thrown (retried, then dead-lettered), never
 * answered by inventing an order.
 */
export class OrderNotFound extends Error {
  constructor(
    readonly orderId: string,
    readonly commandType: string,
  ) {
    super(
      `${commandType} names order ${orderId}, which does not exist; refusing to invent it (it will be retried, then dead-lettered).`,
    );
    this.name = 'OrderNotFound';
  }
}

/**
 * Facts from two services that contradict each other (the amount charged is
 * not the amount priced). Causally impossible; thrown so a person looks at it
 * (the message dead-letters) rather than confirming a wrong total.
 */
export class InconsistentOrder extends Error {
  constructor(
    readonly orderId: string,
    message: string,
  ) {
    super(`Order ${orderId}: ${message}`);
    this.name = 'InconsistentOrder';
  }
}
