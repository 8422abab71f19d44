import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEvent } from '#events/contract.js';
import { OrderCancelled, OrderPlaced } from '#events';
import {
  getProduct,
  restockProduct,
  upsertProduct,
} from '../../../../functions/inventory/adapters/products.js';
import {
  loadInventoryState,
  saveInventoryDecision,
} from '../../../../functions/inventory/adapters/reservations.js';
import { makeHandle } from '../../../../functions/inventory/handlers/on-event.js';
import { DynamoDbLocal } from '@shop/local-cloud';
import type { Consumed } from '#plumbing/consumer.js';
import { busMessage } from '../../../support/lambda-events.js';
import { SEALED_TOKEN, SEALED_ADDRESS } from '../../../support/pii.js';

/*
 * The adapters against AWS's DynamoDB Local: the expressions, conditions and
 * transactions the mocked tests only describe, executed for real, including
 * concurrent reservations of one SKU.
 */

let ddb: DynamoDbLocal;
let client: DynamoDBDocumentClient;
let raw: DynamoDBClient;
let table: string;

beforeAll(async () => {
  ddb = await DynamoDbLocal.start();
  raw = new DynamoDBClient({
    endpoint: ddb.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
});
afterAll(async () => {
  raw?.destroy();
  await ddb?.stop();
});

beforeEach(async () => {
  table = `inventory-${randomUUID()}`;
  await raw.send(
    new CreateTableCommand({
      TableName: table,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
});
afterEach(async () => {
  await raw.send(new DeleteTableCommand({ TableName: table }));
});

type InventoryEvent = Consumed<typeof OrderPlaced | typeof OrderCancelled>;

const orderPlaced = (orderId: string, lines: { sku: string; quantity: number }[]) =>
  busMessage(
    createEvent(
      OrderPlaced,
      {
        orderId,
        customerId: 'cus_1',
        lines,
        paymentTokenCiphertext: SEALED_TOKEN,
        shippingAddressCiphertext: SEALED_ADDRESS,
        placedAt: new Date().toISOString(),
      },
      { correlationId: orderId, causationId: 'req' },
    ),
  ) as unknown as InventoryEvent;
const orderCancelled = (orderId: string) =>
  busMessage(
    createEvent(
      OrderCancelled,
      { orderId, customerId: 'cus_1', reason: 'CUSTOMER_REQUEST', previousStatus: 'PENDING' },
      { correlationId: orderId, causationId: 'req' },
    ),
  ) as unknown as InventoryEvent;

const handle = () =>
  makeHandle({
    load: loadInventoryState(client, table),
    save: saveInventoryDecision(client, table),
  });
const stock = async (sku: string) => {
  const p = await getProduct(client, table)(sku);
  return { available: p?.available, reserved: p?.reserved };
};
const items = async (prefix: string) =>
  ((await client.send(new ScanCommand({ TableName: table, ConsistentRead: true }))).Items ?? [])
    .filter((i) => String(i['pk']).startsWith(prefix))
    .map((i) => i as Record<string, unknown>);

async function catalog(...entries: [sku: string, available: number, priceCents: number][]) {
  for (const [sku, available, priceCents] of entries) {
    await upsertProduct(client, table)({ sku, name: `Product ${sku}`, priceCents });
    if (available > 0) await restockProduct(client, table)({ sku, quantity: available });
  }
}

describe('products on DynamoDB Local', () => {
  it('creates, then updates name and price keeping stock', async () => {
    const upsert = upsertProduct(client, table);
    expect((await upsert({ sku: 'A', name: 'Mug', priceCents: 100 })).created).toBe(true);
    await restockProduct(client, table)({ sku: 'A', quantity: 7 });
    const second = await upsert({ sku: 'A', name: 'Big mug', priceCents: 150 });
    expect(second.created).toBe(false);
    expect(second.product).toMatchObject({
      name: 'Big mug',
      priceCents: 150,
      available: 7,
      reserved: 0,
    });
  });

  it('refuses to restock an unknown SKU, and creates nothing', async () => {
    const restock = restockProduct(client, table);
    expect(await restock({ sku: 'NOPE', quantity: 1 })).toEqual({ outcome: 'unknown-sku' });
    expect(await restock({ sku: 'NOPE', quantity: 1, idempotencyKey: 'k' })).toEqual({
      outcome: 'unknown-sku',
    });
    expect(await items('')).toEqual([]);
  });

  it('adds once per Idempotency-Key, and refuses the key for another request', async () => {
    await catalog(['A', 0, 100]);
    const restock = restockProduct(client, table);
    expect((await restock({ sku: 'A', quantity: 5, idempotencyKey: 'k-1' })).outcome).toBe(
      'restocked',
    );
    expect(await restock({ sku: 'A', quantity: 5, idempotencyKey: 'k-1' })).toMatchObject({
      outcome: 'replayed',
      product: { available: 5 },
    });
    expect(await restock({ sku: 'A', quantity: 6, idempotencyKey: 'k-1' })).toEqual({
      outcome: 'key-reused',
      original: { sku: 'A', quantity: 5 },
    });
    expect(await stock('A')).toEqual({ available: 5, reserved: 0 });
  });

  it('loses no concurrent restock', async () => {
    await catalog(['A', 0, 100]);
    const restock = restockProduct(client, table);
    await Promise.all(Array.from({ length: 20 }, () => restock({ sku: 'A', quantity: 1 })));
    expect(await stock('A')).toEqual({ available: 20, reserved: 0 });
  });
});

describe('reservations on DynamoDB Local', () => {
  it('reserves, writes the outbox row and the marker in one go, and releases on cancel', async () => {
    await catalog(['A', 5, 250], ['B', 3, 100]);
    const placed = orderPlaced('ord_1', [
      { sku: 'A', quantity: 2 },
      { sku: 'B', quantity: 1 },
      { sku: 'A', quantity: 1 },
    ]);
    await handle()(placed);

    expect(await stock('A')).toEqual({ available: 2, reserved: 3 });
    expect(await stock('B')).toEqual({ available: 2, reserved: 1 });
    const outbox = await items('OUTBOX#');
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ kind: 'outbox', detailType: 'StockReserved' });
    expect(JSON.parse(String(outbox[0]!['detail']))).toMatchObject({
      data: { amountCents: 850, lines: [{ sku: 'A', quantity: 3 }, { sku: 'B' }] },
    });
    expect(await items(`PROCESSED#${placed.detail.metadata.eventId}`)).toHaveLength(1);

    await handle()(placed); // redelivered
    expect(await stock('A')).toEqual({ available: 2, reserved: 3 });

    await handle()(orderCancelled('ord_1'));
    await handle()(orderCancelled('ord_1'));
    expect(await stock('A')).toEqual({ available: 5, reserved: 0 });
    expect(await stock('B')).toEqual({ available: 3, reserved: 0 });
    expect((await items('OUTBOX#')).map((r) => r['detailType']).sort()).toEqual([
      'StockReleased',
      'StockReserved',
    ]);
  });

  it('keeps a tombstone when the cancellation comes first, and reserves nothing later', async () => {
    await catalog(['A', 5, 250]);
    await handle()(orderCancelled('ord_1'));
    await handle()(orderPlaced('ord_1', [{ sku: 'A', quantity: 2 }]));
    expect(await stock('A')).toEqual({ available: 5, reserved: 0 });
    expect(await items('OUTBOX#')).toEqual([]);
    const reservation = await client.send(
      new GetCommand({ TableName: table, Key: { pk: 'RESERVATION#ord_1' } }),
    );
    expect(reservation.Item).toMatchObject({ status: 'CANCELLED_BEFORE_RESERVE' });
  });

  it('fails an order with a short line, holding nothing', async () => {
    await catalog(['A', 5, 250], ['B', 1, 100]);
    await handle()(
      orderPlaced('ord_1', [
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 2 },
        { sku: 'C', quantity: 1 },
      ]),
    );
    expect(await stock('A')).toEqual({ available: 5, reserved: 0 });
    const [row] = await items('OUTBOX#');
    expect(JSON.parse(String(row!['detail'])).data.shortages).toEqual([
      { sku: 'B', requested: 2, available: 1, reason: 'INSUFFICIENT_STOCK' },
      { sku: 'C', requested: 1, available: 0, reason: 'UNKNOWN_SKU' },
    ]);
  });

  it('never oversells when orders race for the same SKU, restocks included', async () => {
    await catalog(['A', 10, 100], ['B', 100, 100]);
    const orders = Array.from({ length: 8 }, (_, i) => `ord_${i}`);
    await Promise.all([
      ...orders.map((id) =>
        handle()(
          orderPlaced(id, [
            { sku: 'A', quantity: 3 },
            { sku: 'B', quantity: 1 },
          ]),
        ),
      ),
      restockProduct(client, table)({ sku: 'A', quantity: 2 }),
    ]);
    const reservations = await items('RESERVATION#');
    const held = reservations.filter((r) => r['status'] === 'RESERVED').length;
    // 10 units fit 3 orders of 3; with the restock landing early enough, 4.
    expect([3, 4]).toContain(held);
    expect(reservations).toHaveLength(8);
    expect(await stock('A')).toEqual({ available: 12 - 3 * held, reserved: 3 * held });
    expect(await stock('B')).toEqual({ available: 100 - held, reserved: held });
  });
});
