import { randomUUID } from 'node:crypto';
import type { DomainEvent } from '#events/contract.js';
import { createEvent } from '#events/contract.js';
import { OrderCancelled, StockReserved } from '#events';
import type { PaymentsEvent } from '../../../functions/payments/handlers/on-event.js';
import type {
  Charge,
  ChargeOutcome,
  LoadPayment,
  PaymentChange,
  SavePayment,
} from '../../../functions/payments/ports.js';
import type { RecordedPayment } from '../../../functions/payments/domain/payment.js';
import { ConcurrentUpdateError } from '#plumbing/outbox.js';
import { fakeSeal } from '../../support/pii.js';

/** In-memory payments table: versioned items, outbox and PROCESSED markers, like plumbing/outbox commit. */
export function memoryStore() {
  const items = new Map<string, { state: RecordedPayment; version: number }>();
  const processed = new Set<string>();
  const outbox: DomainEvent[] = [];
  const saves: PaymentChange[] = [];

  const load: LoadPayment = async (orderId) => {
    const item = items.get(orderId);
    return item
      ? { state: structuredClone(item.state), version: item.version }
      : { state: { status: 'NONE' }, version: 0 };
  };

  const save: SavePayment = async (change) => {
    if (change.handledEventId && processed.has(change.handledEventId)) return 'duplicate';
    const current = items.get(change.state.orderId)?.version ?? 0;
    if (current !== change.expectedVersion) {
      throw new ConcurrentUpdateError(['None', 'ConditionalCheckFailed']);
    }
    items.set(change.state.orderId, {
      state: structuredClone(change.state),
      version: current + 1,
    });
    if (change.handledEventId) processed.add(change.handledEventId);
    outbox.push(...change.events);
    saves.push(change);
    return 'committed';
  };

  return {
    load,
    save,
    items,
    outbox,
    saves,
    published: () => outbox.map((e) => e.detailType),
    state: (orderId: string) => items.get(orderId)?.state,
  };
}

/**
 * A provider with the real one's money rules: idempotent by key (same key, same
 * answer, charged once), a ledger per order, and hooks to fail or interleave.
 */
export function fakeProvider(
  options: {
    decline?: boolean;
    /** Called inside every charge call, after the provider charged and before it answers. */
    duringCharge?: () => Promise<void>;
  } = {},
) {
  const answers = new Map<string, unknown>();
  const ledger = new Map<string, { charged: number; refunded: number; charges: number }>();
  const calls: string[] = [];
  let failNext: Error[] = [];
  let counter = 0;

  const entry = (orderId: string) => {
    let e = ledger.get(orderId);
    if (!e) ledger.set(orderId, (e = { charged: 0, refunded: 0, charges: 0 }));
    return e;
  };

  const charge: Charge = async (req) => {
    calls.push(`charge ${req.orderId}`);
    const failure = failNext.shift();
    if (failure) throw failure;
    let answer = answers.get(req.orderId) as ChargeOutcome | undefined;
    if (!answer) {
      answer =
        options.decline || req.token === 'tok_decline'
          ? { outcome: 'declined', code: 'card_declined', message: 'Your card was declined.' }
          : { outcome: 'authorized', paymentId: `ch_${++counter}` };
      answers.set(req.orderId, answer);
      if (answer.outcome === 'authorized') {
        const e = entry(req.orderId);
        e.charged += req.amountCents;
        e.charges += 1;
      }
    }
    await options.duringCharge?.();
    return answer;
  };

  const refund = async (req: { orderId: string; paymentId: string; amountCents: number }) => {
    calls.push(`refund ${req.orderId}`);
    const failure = failNext.shift();
    if (failure) throw failure;
    const key = `refund-${req.orderId}`;
    let answer = answers.get(key) as { refundId: string } | undefined;
    if (!answer) {
      answer = { refundId: `re_${++counter}` };
      answers.set(key, answer);
      entry(req.orderId).refunded += req.amountCents;
    }
    return answer;
  };

  return {
    charge,
    refund,
    calls,
    ledger,
    /** The next calls throw these errors, in order (before doing anything). */
    failWith(...errors: Error[]) {
      failNext = errors;
    },
  };
}

const orderId = 'ord-1';

export function stockReserved(
  overrides: { orderId?: string; amountCents?: number; paymentToken?: string } = {},
): PaymentsEvent {
  const id = overrides.orderId ?? orderId;
  const event = createEvent(
    StockReserved,
    {
      orderId: id,
      customerId: 'cust-1',
      lines: [{ sku: 'sku-1', quantity: 2, unitPriceCents: 2100 }],
      amountCents: overrides.amountCents ?? 4200,
      currency: 'USD',
      paymentTokenCiphertext: fakeSeal('paymentToken', overrides.paymentToken ?? 'tok_approve', id),
    },
    { correlationId: id, causationId: randomUUID() },
  );
  return {
    id: randomUUID(),
    source: event.source,
    'detail-type': event.detailType,
    time: event.detail.metadata.occurredAt,
    detail: event.detail,
  };
}

export function orderCancelled(overrides: { orderId?: string } = {}): PaymentsEvent {
  const id = overrides.orderId ?? orderId;
  const event = createEvent(
    OrderCancelled,
    { orderId: id, customerId: 'cust-1', reason: 'CUSTOMER_REQUEST', previousStatus: 'PENDING' },
    { correlationId: id, causationId: randomUUID() },
  );
  return {
    id: randomUUID(),
    source: event.source,
    'detail-type': event.detailType,
    time: event.detail.metadata.occurredAt,
    detail: event.detail,
  };
}
