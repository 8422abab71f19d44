import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  OrderDeadlinePassed,
  PaymentAuthorized,
  PaymentDeclined,
  ShipmentDelivered,
  ShipmentDispatched,
  StockReservationFailed,
  StockReserved,
} from '#events';
import { consumes } from '../../../../functions/orders/consumes.js';
import { OrderNotFound } from '../../../../functions/orders/domain/errors.js';
import { makeHandle } from '../../../../functions/orders/handlers/on-event.js';
import { createConsumer } from '#plumbing/consumer.js';
import { ConcurrentUpdateError } from '#plumbing/outbox.js';
import {
  deadlinePassed,
  delivered,
  ORDER_ID,
  orderAfter,
  orderPlaced,
  paymentAuthorized,
  paymentDeclined,
  pricedLines,
  shipmentDelivered,
  shipmentDispatched,
  stockReservationFailed,
  stockReserved,
} from '../support/fixtures.js';
import { inMemoryStore, type InMemoryStore } from '../support/in-memory-store.js';

const NOW = new Date('2026-01-01T10:30:00.000Z');
let store: InMemoryStore;
let handle: ReturnType<typeof makeHandle>;
beforeEach(() => {
  store = inMemoryStore();
  store.seed(orderAfter(orderPlaced()));
  handle = makeHandle({ ...store, now: () => NOW });
});

const reserved = () => delivered(StockReserved, stockReserved().data);
const authorized = () => delivered(PaymentAuthorized, paymentAuthorized().data);

describe('orders consumer', () => {
  it('StockReserved then PaymentAuthorized: CONFIRMED, OrderConfirmed caused by the payment', async () => {
    await handle(reserved());
    expect(store.outbox).toHaveLength(0);
    const payment = authorized();
    await handle(payment);

    expect(store.orders.get(ORDER_ID)).toMatchObject({
      version: 3,
      order: { status: 'CONFIRMED' },
    });
    expect(store.outbox).toEqual([
      expect.objectContaining({
        detailType: 'OrderConfirmed',
        detail: expect.objectContaining({
          metadata: expect.objectContaining({
            correlationId: ORDER_ID,
            causationId: payment.detail.metadata.eventId,
            occurredAt: NOW.toISOString(),
          }),
          data: expect.objectContaining({ lines: pricedLines, amountCents: 2550 }),
        }),
      }),
    ]);
  });

  it('PaymentAuthorized before StockReserved: confirms when the pricing arrives', async () => {
    await handle(authorized());
    expect(store.orders.get(ORDER_ID)?.order.status).toBe('PENDING');
    const stock = reserved();
    await handle(stock);

    expect(store.orders.get(ORDER_ID)?.order.status).toBe('CONFIRMED');
    expect(store.outbox.map((e) => e.detailType)).toEqual(['OrderConfirmed']);
    expect(store.outbox[0]?.detail.metadata.causationId).toBe(stock.detail.metadata.eventId);
  });

  it.each([
    [
      'StockReservationFailed',
      () => delivered(StockReservationFailed, stockReservationFailed().data),
      'OUT_OF_STOCK',
    ],
    [
      'PaymentDeclined',
      () => delivered(PaymentDeclined, paymentDeclined().data),
      'PAYMENT_DECLINED',
    ],
  ] as const)('%s cancels the order with OrderCancelled(%s)', async (_name, event, reason) => {
    await handle(event());

    expect(store.orders.get(ORDER_ID)?.order).toMatchObject({ status: 'CANCELLED', reason });
    expect(store.outbox.map((e) => e.detail.data)).toEqual([
      expect.objectContaining({ reason, previousStatus: 'PENDING' }),
    ]);
  });

  it('OrderDeadlinePassed times out a PENDING order; after CONFIRMED it writes nothing', async () => {
    const deadline = () => delivered(OrderDeadlinePassed, deadlinePassed().data);
    await handle(deadline());
    expect(store.orders.get(ORDER_ID)?.order).toMatchObject({
      status: 'CANCELLED',
      reason: 'TIMED_OUT',
    });

    store.seed(orderAfter(orderPlaced()));
    await handle(reserved());
    await handle(authorized());
    const writes = store.writes;
    await handle(deadline());
    expect(store.writes).toBe(writes);
    expect(store.orders.get(ORDER_ID)?.order.status).toBe('CONFIRMED');
  });

  it('ShipmentDispatched then ShipmentDelivered: COMPLETED with OrderCompleted', async () => {
    await handle(reserved());
    await handle(authorized());
    await handle(delivered(ShipmentDispatched, shipmentDispatched().data));
    await handle(delivered(ShipmentDelivered, shipmentDelivered().data));

    expect(store.orders.get(ORDER_ID)?.order).toMatchObject({ status: 'COMPLETED' });
    expect(store.outbox.map((e) => e.detailType)).toEqual(['OrderConfirmed', 'OrderCompleted']);
  });

  it('a redelivered event changes nothing and writes nothing', async () => {
    const stock = reserved();
    await handle(stock);
    const writes = store.writes;
    await handle(stock);

    expect(store.writes).toBe(writes);
    expect(store.orders.get(ORDER_ID)?.version).toBe(2);
  });

  it('a redelivery that finds its marker already written is reported as a duplicate, not an error', async () => {
    const stock = reserved();
    await handle(stock);
    // As if the order row had been read before the first delivery committed.
    store.seed(orderAfter(orderPlaced()), 2);
    await expect(handle(stock)).resolves.toBeUndefined();
    expect(store.outbox).toHaveLength(0);
  });

  it('an event for an order that does not exist throws, so it is retried and then dead-lettered', async () => {
    store.orders.clear();
    await expect(handle(reserved())).rejects.toThrow(OrderNotFound);
    expect(store.writes).toBe(0);
  });

  it('retries on fresh state when another writer moved the order on', async () => {
    const saveOrder = vi
      .fn(store.saveOrder)
      .mockRejectedValueOnce(new ConcurrentUpdateError(['None', 'ConditionalCheckFailed']));
    handle = makeHandle({ ...store, saveOrder, now: () => NOW });

    await handle(reserved());

    expect(saveOrder).toHaveBeenCalledTimes(2);
    expect(store.orders.get(ORDER_ID)?.order).toMatchObject({ status: 'PENDING', pricing: {} });
  });
});

describe('wired into the SQS consumer', () => {
  const context = {
    awsRequestId: 'r',
    getRemainingTimeInMillis: () => 30_000,
  } as unknown as Context;
  const record = (id: string, body: unknown): SQSRecord => ({
    messageId: id,
    receiptHandle: id,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1700000000000',
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: '1700000000001',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:orders',
    awsRegion: 'us-east-1',
  });
  const onBus = <T extends { id: string }>(event: T) => ({
    version: '0',
    account: '000000000000',
    region: 'us-east-1',
    resources: [],
    ...event,
  });

  it('applies valid events and hands back only the ones that failed (unknown order, bad contract)', async () => {
    const consume = createConsumer({ consumes, handle });
    const unknown = delivered(StockReserved, { ...stockReserved().data, orderId: 'ord_unknown' });
    const broken = { ...reserved(), detail: { ...reserved().detail, data: { orderId: ORDER_ID } } };
    const batch: SQSEvent = {
      Records: [
        record('ok', onBus(reserved())),
        record('unknown', onBus(unknown)),
        record('broken', onBus(broken)),
      ],
    };

    const response = await consume(batch, context);

    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual([
      'broken',
      'unknown',
    ]);
    expect(store.orders.get(ORDER_ID)?.order).toMatchObject({ pricing: { amountCents: 2550 } });
  });
});
