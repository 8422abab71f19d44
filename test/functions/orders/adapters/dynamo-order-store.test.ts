import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { createEvent } from '#events/contract.js';
import { OrderConfirmed, OrderPlaced } from '#events';
import {
  dynamoOrderStore,
  IDEMPOTENCY_KEY_TTL_SECONDS,
} from '../../../../functions/orders/adapters/dynamo-order-store.js';
import { ConcurrentUpdateError, outboxRow, PROCESSED_TTL_SECONDS } from '#plumbing/outbox.js';
import {
  ORDER_ID,
  orderAfter,
  orderConfirmed,
  orderPlaced,
  stockPriced,
} from '../support/fixtures.js';

const TABLE = 'orders-table';
const NOW = new Date('2026-01-01T12:00:00.000Z');
const NOW_S = NOW.getTime() / 1000;
const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const store = dynamoOrderStore(client, TABLE, () => NOW);

const canceled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

const pending = orderAfter(orderPlaced());
const confirmed = orderAfter(orderPlaced(), stockPriced(), orderConfirmed());
const cause = { correlationId: ORDER_ID, causationId: 'req-1' };
const placedEvent = createEvent(OrderPlaced, orderPlaced().data, cause, () => NOW);
const confirmedEvent = createEvent(OrderConfirmed, orderConfirmed().data, cause, () => NOW);
const idempotency = { key: 'key-1', requestHash: 'a'.repeat(64), orderId: ORDER_ID };

beforeEach(() => {
  ddb.reset();
});

describe('loadOrder', () => {
  it('reads ORDER#<id> consistently and returns the order with its version', async () => {
    ddb.on(GetCommand).resolves({
      Item: { pk: `ORDER#${ORDER_ID}`, kind: 'order', version: 3, ...confirmed },
    });

    await expect(store.loadOrder(ORDER_ID)).resolves.toEqual({ order: confirmed, version: 3 });
    expect(ddb).toHaveReceivedCommandWith(GetCommand, {
      TableName: TABLE,
      Key: { pk: `ORDER#${ORDER_ID}` },
      ConsistentRead: true,
    });
  });

  it('returns undefined when there is no such order', async () => {
    ddb.on(GetCommand).resolves({});
    await expect(store.loadOrder(ORDER_ID)).resolves.toBeUndefined();
  });

  it('refuses an item that is not a valid order, naming the item and the problem', async () => {
    ddb.on(GetCommand).resolves({
      Item: { pk: `ORDER#${ORDER_ID}`, kind: 'order', version: 1, ...pending, status: 'SHIPPED' },
    });
    await expect(store.loadOrder(ORDER_ID)).rejects.toThrow(
      new RegExp(`Item ORDER#${ORDER_ID} in ${TABLE} is not a valid order \\(status`),
    );
  });
});

describe('saveOrder', () => {
  it('writes the processed marker, the order on its version, and the outbox rows in one transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    const result = await store.saveOrder({
      order: confirmed,
      expectedVersion: 2,
      events: [confirmedEvent],
      handledEventId: 'evt-1',
    });

    expect(result).toBe('committed');
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, {
      TransactItems: [
        {
          Put: {
            TableName: TABLE,
            Item: { pk: 'PROCESSED#evt-1', kind: 'processed', ttl: NOW_S + PROCESSED_TTL_SECONDS },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: TABLE,
            Item: {
              pk: `ORDER#${ORDER_ID}`,
              kind: 'order',
              version: 3,
              ...confirmed,
              placedDay: confirmed.placedAt.slice(0, 10),
            },
            ConditionExpression: 'version = :expected',
            ExpressionAttributeValues: { ':expected': 2 },
          },
        },
        {
          Put: {
            TableName: TABLE,
            Item: outboxRow(confirmedEvent, NOW),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
    });
  });

  it('answers duplicate when the event was already processed', async () => {
    ddb.on(TransactWriteCommand).rejects(canceled('ConditionalCheckFailed', 'None', 'None'));
    await expect(
      store.saveOrder({
        order: confirmed,
        expectedVersion: 2,
        events: [confirmedEvent],
        handledEventId: 'evt-1',
      }),
    ).resolves.toBe('duplicate');
  });

  it('throws ConcurrentUpdateError when the version moved on', async () => {
    ddb.on(TransactWriteCommand).rejects(canceled('None', 'ConditionalCheckFailed', 'None'));
    await expect(
      store.saveOrder({
        order: confirmed,
        expectedVersion: 2,
        events: [confirmedEvent],
        handledEventId: 'evt-1',
      }),
    ).rejects.toBeInstanceOf(ConcurrentUpdateError);
  });

  it('writes no marker for a change that handles no event (a customer cancel)', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await store.saveOrder({ order: pending, expectedVersion: 1, events: [] });

    const input = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input;
    expect(input?.TransactItems).toHaveLength(1);
    expect(input?.TransactItems?.[0]?.Put?.Item).toMatchObject({
      pk: `ORDER#${ORDER_ID}`,
      version: 2,
    });
  });
});

describe('createOrder', () => {
  it('writes the new order, the Idempotency-Key and OrderPlaced in one transaction, each only if absent', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    await expect(
      store.createOrder({ order: pending, events: [placedEvent], idempotency }),
    ).resolves.toBe('created');
    expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, {
      TransactItems: [
        {
          Put: {
            TableName: TABLE,
            Item: {
              pk: `ORDER#${ORDER_ID}`,
              kind: 'order',
              version: 1,
              ...pending,
              placedDay: pending.placedAt.slice(0, 10),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: TABLE,
            Item: {
              pk: 'IDEMPOTENCY_KEY#key-1',
              kind: 'idempotency-key',
              key: 'key-1',
              requestHash: 'a'.repeat(64),
              orderId: ORDER_ID,
              createdAt: NOW.toISOString(),
              ttl: NOW_S + IDEMPOTENCY_KEY_TTL_SECONDS,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: TABLE,
            Item: outboxRow(placedEvent, NOW),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
    });
  });

  it("answers key-taken when another request's transaction claimed the key", async () => {
    ddb.on(TransactWriteCommand).rejects(canceled('None', 'ConditionalCheckFailed', 'None'));
    await expect(
      store.createOrder({ order: pending, events: [placedEvent], idempotency }),
    ).resolves.toBe('key-taken');
  });

  it('throws ConcurrentUpdateError (to retry) when the transactions collided', async () => {
    ddb.on(TransactWriteCommand).rejects(canceled('None', 'TransactionConflict', 'None'));
    await expect(
      store.createOrder({ order: pending, events: [placedEvent], idempotency }),
    ).rejects.toBeInstanceOf(ConcurrentUpdateError);
  });

  it('does not mistake an order id collision for a taken key', async () => {
    ddb.on(TransactWriteCommand).rejects(canceled('ConditionalCheckFailed', 'None', 'None'));
    await expect(
      store.createOrder({ order: pending, events: [placedEvent], idempotency }),
    ).rejects.toBeInstanceOf(ConcurrentUpdateError);
  });
});

describe('findIdempotencyKey', () => {
  it('reads IDEMPOTENCY_KEY#<key> consistently', async () => {
    ddb.on(GetCommand).resolves({
      Item: { pk: 'IDEMPOTENCY_KEY#key-1', kind: 'idempotency-key', ...idempotency, ttl: 1 },
    });

    await expect(store.findIdempotencyKey('key-1')).resolves.toEqual(idempotency);
    expect(ddb).toHaveReceivedCommandWith(GetCommand, {
      TableName: TABLE,
      Key: { pk: 'IDEMPOTENCY_KEY#key-1' },
      ConsistentRead: true,
    });
  });

  it('returns undefined for a new key', async () => {
    ddb.on(GetCommand).resolves({});
    await expect(store.findIdempotencyKey('key-2')).resolves.toBeUndefined();
  });
});
