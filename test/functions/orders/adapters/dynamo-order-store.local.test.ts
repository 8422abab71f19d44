import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent } from '#events/contract.js';
import { OrderCancelled, OrderPlaced } from '#events';
import { dynamoOrderStore } from '../../../../functions/orders/adapters/dynamo-order-store.js';
import { DynamoDbLocal } from '@shop/local-cloud';
import { ConcurrentUpdateError } from '#plumbing/outbox.js';
import { orderAfter, orderCancelled, orderPlaced, ORDER_ID } from '../support/fixtures.js';

/**
 * The adapter against AWS's DynamoDB Local: the conditions, the cancellation
 * reasons and their order are DynamoDB's own, not a mock's idea of them.
 */
let dynamo: DynamoDbLocal;
let raw: DynamoDBClient;
let store: ReturnType<typeof dynamoOrderStore>;
const TABLE = 'orders';

beforeAll(async () => {
  dynamo = await DynamoDbLocal.start();
  raw = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await raw.send(
    new CreateTableCommand({
      TableName: TABLE,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  const doc = DynamoDBDocumentClient.from(raw, {
    marshallOptions: { removeUndefinedValues: true },
  });
  store = dynamoOrderStore(doc, TABLE);
});

afterAll(async () => {
  raw?.destroy();
  await dynamo?.stop();
});

const cause = { correlationId: ORDER_ID, causationId: 'req-1' };
const idFor = (n: number) => `ord_${String(n).padStart(32, '0')}`;

describe('orders table on DynamoDB Local', () => {
  it('round-trips an order, and of concurrent creates with one key exactly one wins', async () => {
    const attempts = [1, 2, 3, 4].map((n) => {
      const order = { ...orderAfter(orderPlaced()), orderId: idFor(n) };
      const event = createEvent(OrderPlaced, { ...orderPlaced().data, orderId: idFor(n) }, cause);
      return store
        .createOrder({
          order,
          events: [event],
          idempotency: { key: 'same-key', requestHash: 'h', orderId: idFor(n) },
        })
        .catch((error: unknown) => {
          if (error instanceof ConcurrentUpdateError) return 'conflict';
          throw error;
        });
    });
    const outcomes = await Promise.all(attempts);

    expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
    const key = await store.findIdempotencyKey('same-key');
    const winner = idFor(outcomes.indexOf('created') + 1);
    expect(key).toEqual({ key: 'same-key', requestHash: 'h', orderId: winner });
    await expect(store.loadOrder(winner)).resolves.toEqual({
      order: { ...orderAfter(orderPlaced()), orderId: winner },
      version: 1,
    });
    for (const [i, outcome] of outcomes.entries()) {
      if (outcome !== 'created')
        await expect(store.loadOrder(idFor(i + 1))).resolves.toBeUndefined();
    }
    // Once committed, the key is reported as taken, not as a conflict.
    const late = await store.createOrder({
      order: { ...orderAfter(orderPlaced()), orderId: idFor(9) },
      events: [],
      idempotency: { key: 'same-key', requestHash: 'h', orderId: idFor(9) },
    });
    expect(late).toBe('key-taken');
  });

  it('saves on the loaded version only, and applies a handled event once', async () => {
    const orderId = idFor(20);
    const placed = { ...orderAfter(orderPlaced()), orderId };
    await store.createOrder({
      order: placed,
      events: [],
      idempotency: { key: 'k-20', requestHash: 'h', orderId },
    });
    const cancelled = { ...orderAfter(orderPlaced(), orderCancelled('OUT_OF_STOCK')), orderId };
    const event = createEvent(
      OrderCancelled,
      { ...orderCancelled('OUT_OF_STOCK').data, orderId },
      cause,
    );
    const change = {
      order: cancelled,
      expectedVersion: 1,
      events: [event],
      handledEventId: 'evt-20',
    };

    await expect(store.saveOrder(change)).resolves.toBe('committed');
    await expect(store.saveOrder(change)).resolves.toBe('duplicate');
    await expect(store.saveOrder({ ...change, handledEventId: 'evt-21' })).rejects.toBeInstanceOf(
      ConcurrentUpdateError,
    );
    await expect(store.loadOrder(orderId)).resolves.toEqual({ order: cancelled, version: 2 });
  });
});
