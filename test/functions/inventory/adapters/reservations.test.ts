import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  TransactGetCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEvent } from '#events/contract.js';
import { StockReleased, StockReserved } from '#events';
import {
  loadInventoryState,
  saveInventoryDecision,
} from '../../../../functions/inventory/adapters/reservations.js';
import { decide } from '../../../../functions/inventory/domain/decide.js';
import { evolve } from '../../../../functions/inventory/domain/evolve.js';
import type { InventoryState } from '../../../../functions/inventory/domain/state.js';
import { ConcurrentUpdateError } from '#plumbing/outbox.js';
import { CUSTOMER, ORDER, cancelled, placed, product, reserved, stateWith } from '../fixtures.js';

const TABLE = 'inventory-table';
const NOW = new Date('2026-03-01T12:00:00.000Z');
const NOW_S = NOW.getTime() / 1000;
const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));

const canceled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

beforeEach(() => {
  ddb.reset();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('loadInventoryState', () => {
  it('reads the reservation and each distinct product in one consistent TransactGetItems', async () => {
    ddb.on(TransactGetCommand).resolves({
      Responses: [
        {},
        { Item: { pk: 'PRODUCT#A', kind: 'product', ...product('A', 4, 250, 1) } },
        {},
      ],
    });
    const state = await loadInventoryState(client, TABLE)(ORDER, ['A', 'NOPE', 'A']);

    expect(ddb).toHaveReceivedCommandWith(TransactGetCommand, {
      TransactItems: [
        { Get: { TableName: TABLE, Key: { pk: `RESERVATION#${ORDER}` } } },
        { Get: { TableName: TABLE, Key: { pk: 'PRODUCT#A' } } },
        { Get: { TableName: TABLE, Key: { pk: 'PRODUCT#NOPE' } } },
      ],
    });
    expect(state).toEqual({ reservation: undefined, products: { A: product('A', 4, 250, 1) } });
  });

  it('parses a stored reservation', async () => {
    ddb.on(TransactGetCommand).resolves({
      Responses: [
        {
          Item: {
            pk: `RESERVATION#${ORDER}`,
            kind: 'reservation',
            status: 'CANCELLED_BEFORE_RESERVE',
            orderId: ORDER,
            customerId: CUSTOMER,
            version: 1,
          },
        },
      ],
    });
    const state = await loadInventoryState(client, TABLE)(ORDER, []);
    expect(state.reservation).toEqual({
      status: 'CANCELLED_BEFORE_RESERVE',
      orderId: ORDER,
      customerId: CUSTOMER,
      version: 1,
    });
  });

  it('fails loudly, naming the item, on a corrupt product', async () => {
    ddb.on(TransactGetCommand).resolves({
      Responses: [{}, { Item: { pk: 'PRODUCT#A', kind: 'product', sku: 'A', available: 'x' } }],
    });
    await expect(loadInventoryState(client, TABLE)(ORDER, ['A'])).rejects.toThrow(
      /PRODUCT#A is not a valid product item/,
    );
  });

  it('turns a transaction in flight into a ConcurrentUpdateError, so the handler reloads', async () => {
    ddb.on(TransactGetCommand).rejects(canceled('None', 'TransactionConflict'));
    await expect(loadInventoryState(client, TABLE)(ORDER, ['A'])).rejects.toBeInstanceOf(
      ConcurrentUpdateError,
    );
  });
});

describe('saveInventoryDecision', () => {
  const cause = { correlationId: ORDER, causationId: 'evt-placed' };
  const HANDLED = '11111111-1111-4111-8111-111111111111';
  const processedMarker = {
    Put: {
      TableName: TABLE,
      Item: { pk: `PROCESSED#${HANDLED}`, kind: 'processed', ttl: NOW_S + 30 * 86400 },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
  const outboxRowOf = (event: ReturnType<typeof createEvent>) => ({
    Put: {
      TableName: TABLE,
      Item: {
        pk: `OUTBOX#${event.detail.metadata.eventId}`,
        kind: 'outbox',
        eventId: event.detail.metadata.eventId,
        source: event.source,
        detailType: event.detailType,
        detail: JSON.stringify(event.detail),
        occurredAt: event.detail.metadata.occurredAt,
        correlationId: ORDER,
        ttl: NOW_S + 7 * 86400,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });

  it('reserves in one transaction: marker, new reservation, conditional ADDs, outbox row', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const before = stateWith(product('A', 5, 250), product('B', 2, 100));
    const facts = decide(
      placed([
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 2 },
      ]),
      before,
    );
    const event = createEvent(StockReserved, facts[0]!.data as never, cause);

    const result = await saveInventoryDecision(
      client,
      TABLE,
    )({
      before,
      facts,
      events: [event],
      handledEventId: HANDLED,
    });

    expect(result).toBe('committed');
    const adjust = (sku: string, q: number) => ({
      Update: {
        TableName: TABLE,
        Key: { pk: `PRODUCT#${sku}` },
        UpdateExpression: 'ADD #available :available, #reserved :reserved, #version :one',
        ConditionExpression: 'attribute_exists(pk) AND #available >= :required',
        ExpressionAttributeNames: {
          '#available': 'available',
          '#reserved': 'reserved',
          '#version': 'version',
        },
        ExpressionAttributeValues: { ':available': -q, ':reserved': q, ':one': 1, ':required': q },
      },
    });
    expect(ddb).toHaveReceivedCommandExactlyOnceWith(TransactWriteCommand, {
      TransactItems: [
        processedMarker,
        {
          Put: {
            TableName: TABLE,
            Item: {
              pk: `RESERVATION#${ORDER}`,
              kind: 'reservation',
              status: 'RESERVED',
              orderId: ORDER,
              customerId: CUSTOMER,
              lines: [
                { sku: 'A', quantity: 2, unitPriceCents: 250 },
                { sku: 'B', quantity: 2, unitPriceCents: 100 },
              ],
              version: 1,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        adjust('A', 2),
        adjust('B', 2),
        outboxRowOf(event),
      ],
    });
  });

  it('releases against the reservation version it read, giving stock back to existing products', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const before: InventoryState = evolve(
      stateWith(),
      reserved([{ sku: 'A', quantity: 3, unitPriceCents: 1 }]),
    );
    const facts = decide(cancelled(), before);
    const event = createEvent(StockReleased, facts[0]!.data as never, cause);

    await saveInventoryDecision(
      client,
      TABLE,
    )({
      before,
      facts,
      events: [event],
      handledEventId: HANDLED,
    });

    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items).toHaveLength(4);
    expect(items[1]).toEqual({
      Put: {
        TableName: TABLE,
        Item: expect.objectContaining({ status: 'RELEASED', version: 2 }),
        ConditionExpression: '#version = :expected',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':expected': 1 },
      },
    });
    expect(items[2]).toEqual({
      Update: {
        TableName: TABLE,
        Key: { pk: 'PRODUCT#A' },
        UpdateExpression: 'ADD #available :available, #reserved :reserved, #version :one',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: {
          '#available': 'available',
          '#reserved': 'reserved',
          '#version': 'version',
        },
        ExpressionAttributeValues: { ':available': 3, ':reserved': -3, ':one': 1 },
      },
    });
    expect(items[3]).toEqual(outboxRowOf(event));
  });

  it('writes only the marker and the tombstone when a cancellation comes first', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const before = stateWith();
    await saveInventoryDecision(
      client,
      TABLE,
    )({
      before,
      facts: decide(cancelled(), before),
      events: [],
      handledEventId: HANDLED,
    });
    expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, {
      TransactItems: [
        processedMarker,
        {
          Put: {
            TableName: TABLE,
            Item: {
              pk: `RESERVATION#${ORDER}`,
              kind: 'reservation',
              status: 'CANCELLED_BEFORE_RESERVE',
              orderId: ORDER,
              customerId: CUSTOMER,
              version: 1,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
    });
  });

  it('fits a 50-SKU order in one transaction of 53 items', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const skus = Array.from({ length: 50 }, (_, i) => `S${i}`);
    const before = stateWith(...skus.map((s) => product(s, 1)));
    const facts = decide(placed(skus.map((sku) => ({ sku, quantity: 1 }))), before);
    await saveInventoryDecision(
      client,
      TABLE,
    )({
      before,
      facts,
      events: [createEvent(StockReserved, facts[0]!.data as never, cause)],
      handledEventId: HANDLED,
    });
    expect(ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems).toHaveLength(53);
  });

  it("answers 'duplicate' when the event's processed marker already exists", async () => {
    ddb.on(TransactWriteCommand).rejects(canceled('ConditionalCheckFailed', 'None', 'None'));
    const before = stateWith();
    const result = await saveInventoryDecision(
      client,
      TABLE,
    )({
      before,
      facts: decide(cancelled(), before),
      events: [],
      handledEventId: HANDLED,
    });
    expect(result).toBe('duplicate');
  });

  it('throws ConcurrentUpdateError when stock was taken meanwhile, so the handler decides again', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejects(canceled('None', 'None', 'ConditionalCheckFailed', 'None'));
    const before = stateWith(product('A', 5));
    const facts = decide(placed([{ sku: 'A', quantity: 5 }]), before);
    await expect(
      saveInventoryDecision(
        client,
        TABLE,
      )({
        before,
        facts,
        events: [createEvent(StockReserved, facts[0]!.data as never, cause)],
        handledEventId: HANDLED,
      }),
    ).rejects.toBeInstanceOf(ConcurrentUpdateError);
  });

  it('throws ConcurrentUpdateError when another event wrote the reservation first', async () => {
    ddb.on(TransactWriteCommand).rejects(canceled('None', 'ConditionalCheckFailed'));
    const before = stateWith();
    await expect(
      saveInventoryDecision(
        client,
        TABLE,
      )({
        before,
        facts: decide(cancelled(), before),
        events: [],
        handledEventId: HANDLED,
      }),
    ).rejects.toBeInstanceOf(ConcurrentUpdateError);
  });
});
