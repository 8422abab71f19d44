import { beforeEach, describe, expect, it, vi } from 'vitest';
import { makeCancelOrder } from '../../../../functions/orders/handlers/cancel-order.js';
import { ConcurrentUpdateError } from '#plumbing/outbox.js';
import {
  answer,
  dispatchRecorded,
  httpEvent,
  lambdaContext,
  ORDER_ID,
  orderAfter,
  orderCancelled,
  orderCompleted,
  orderConfirmed,
  orderPlaced,
  stockPriced,
} from '../support/fixtures.js';
import { customerClaims, operatorClaims } from '../../../support/lambda-events.js';
import { inMemoryStore, type InMemoryStore } from '../support/in-memory-store.js';

const NOW = new Date('2026-01-01T11:00:00.000Z');
let store: InMemoryStore;
let cancelOrder: ReturnType<typeof makeCancelOrder>;
beforeEach(() => {
  store = inMemoryStore();
  cancelOrder = makeCancelOrder({ ...store, now: () => NOW });
});

const cancel = async (orderId = ORDER_ID, claims?: Record<string, string> | null) =>
  answer(
    await cancelOrder(
      httpEvent({ pathParameters: { orderId }, requestId: 'req-9', claims }),
      lambdaContext,
    ),
  );

describe('POST /orders/{orderId}/cancel', () => {
  it('cancels a PENDING order: 202 with the order CANCELLED, OrderCancelled in the outbox', async () => {
    store.seed(orderAfter(orderPlaced()));
    const res = await cancel();

    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      orderId: ORDER_ID,
      status: 'CANCELLED',
      reason: 'CUSTOMER_REQUEST',
      cancelledAt: NOW.toISOString(),
    });
    expect(store.orders.get(ORDER_ID)).toMatchObject({
      version: 2,
      order: { status: 'CANCELLED' },
    });
    expect(store.outbox).toEqual([
      expect.objectContaining({
        detailType: 'OrderCancelled',
        detail: expect.objectContaining({
          metadata: expect.objectContaining({ correlationId: ORDER_ID, causationId: 'req-9' }),
          data: expect.objectContaining({ reason: 'CUSTOMER_REQUEST', previousStatus: 'PENDING' }),
        }),
      }),
    ]);
  });

  it('cancels a CONFIRMED order that has not been dispatched', async () => {
    store.seed(orderAfter(orderPlaced(), stockPriced(), orderConfirmed()));
    const res = await cancel();

    expect(res.status).toBe(202);
    expect(store.outbox[0]?.detail.data).toMatchObject({ previousStatus: 'CONFIRMED' });
  });

  it.each([
    [
      'dispatched',
      [orderPlaced(), stockPriced(), orderConfirmed(), dispatchRecorded()],
      'CONFIRMED',
      /was dispatched/,
    ],
    [
      'already cancelled',
      [orderPlaced(), orderCancelled('PAYMENT_DECLINED')],
      'CANCELLED',
      /already CANCELLED \(reason PAYMENT_DECLINED\)/,
    ],
    [
      'completed',
      [orderPlaced(), stockPriced(), orderConfirmed(), dispatchRecorded(), orderCompleted()],
      'COMPLETED',
      /is COMPLETED/,
    ],
  ] as const)(
    'answers 409 for an order %s, saying its status and why',
    async (_name, history, status, why) => {
      store.seed(orderAfter(...history));
      const res = await cancel();

      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ error: 'OrderNotCancellable', orderId: ORDER_ID, status });
      expect(res.body.message).toMatch(why);
      expect(store.writes).toBe(0);
    },
  );

  it('decides again on fresh state when the order changed underneath (and may then refuse)', async () => {
    store.seed(orderAfter(orderPlaced(), stockPriced(), orderConfirmed()));
    const saveOrder = vi.fn(store.saveOrder).mockImplementationOnce(async () => {
      // The carrier picked it up between our read and our write.
      store.seed(orderAfter(orderPlaced(), stockPriced(), orderConfirmed(), dispatchRecorded()), 2);
      throw new ConcurrentUpdateError(['ConditionalCheckFailed']);
    });
    cancelOrder = makeCancelOrder({ ...store, saveOrder, now: () => NOW });

    const res = await cancel();

    expect(saveOrder).toHaveBeenCalledTimes(1);
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/was dispatched/);
  });

  it('answers 404 for an unknown order and 400 for a malformed id', async () => {
    expect((await cancel()).status).toBe(404);
    const bad = await cancel('ORD-1');
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toEqual([expect.objectContaining({ field: 'orderId' })]);
  });

  it("lets an operator cancel any customer's order", async () => {
    store.seed(orderAfter(orderPlaced()));

    const res = await cancel(ORDER_ID, operatorClaims());

    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'CANCELLED' });
  });

  it('answers another customer with the 404 of a missing order, and changes nothing', async () => {
    store.seed(orderAfter(orderPlaced()));
    const before = store.orders.get(ORDER_ID);

    const res = await cancel(ORDER_ID, customerClaims('someone-else'));

    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: 'OrderNotFound', orderId: ORDER_ID });
    expect(store.orders.get(ORDER_ID)).toEqual(before);
    expect(store.outbox).toHaveLength(0);
  });
});
