import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  TransactionCanceledException,
  TransactionConflictException,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  getProduct,
  restockProduct,
  upsertProduct,
} from '../../../../functions/inventory/adapters/products.js';
import { product } from '../fixtures.js';

const TABLE = 'inventory-table';
const NOW = new Date('2026-03-01T12:00:00.000Z');
const NOW_S = NOW.getTime() / 1000;
const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const item = (p = product('A', 10, 250)) => ({ pk: `PRODUCT#${p.sku}`, kind: 'product', ...p });

const canceled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

beforeEach(() => ddb.reset());

describe('getProduct', () => {
  it('reads the product strongly consistently', async () => {
    ddb.on(GetCommand).resolves({ Item: item() });
    expect(await getProduct(client, TABLE)('A')).toEqual(product('A', 10, 250));
    expect(ddb).toHaveReceivedCommandWith(GetCommand, {
      TableName: TABLE,
      Key: { pk: 'PRODUCT#A' },
      ConsistentRead: true,
    });
  });

  it('answers undefined for an unknown SKU', async () => {
    ddb.on(GetCommand).resolves({});
    expect(await getProduct(client, TABLE)('A')).toBeUndefined();
  });
});

describe('upsertProduct', () => {
  it('sets name and price in one update, starting stock at zero only if there is none', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: item({ ...product('A', 0, 99), version: 1 }) });
    const result = await upsertProduct(client, TABLE)({ sku: 'A', name: 'Mug', priceCents: 99 });

    expect(result.created).toBe(true);
    expect(ddb.commandCalls(UpdateCommand)[0]!.args[0].input).toEqual({
      TableName: TABLE,
      Key: { pk: 'PRODUCT#A' },
      UpdateExpression:
        'SET #kind = :kind, #sku = :sku, #name = :name, #priceCents = :priceCents, ' +
        '#available = if_not_exists(#available, :zero), #reserved = if_not_exists(#reserved, :zero) ' +
        'ADD #version :one',
      ExpressionAttributeNames: {
        '#kind': 'kind',
        '#sku': 'sku',
        '#name': 'name',
        '#priceCents': 'priceCents',
        '#available': 'available',
        '#reserved': 'reserved',
        '#version': 'version',
      },
      ExpressionAttributeValues: {
        ':kind': 'product',
        ':sku': 'A',
        ':name': 'Mug',
        ':priceCents': 99,
        ':zero': 0,
        ':one': 1,
      },
      ReturnValues: 'ALL_NEW',
    });
  });

  it('reports an update (not a creation) once the product had a version', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: item({ ...product('A', 7, 99), version: 3 }) });
    const result = await upsertProduct(client, TABLE)({ sku: 'A', name: 'Mug', priceCents: 99 });
    expect(result).toEqual({ product: { ...product('A', 7, 99), version: 3 }, created: false });
  });

  it('retries when a reservation transaction held the item', async () => {
    ddb
      .on(UpdateCommand)
      .rejectsOnce(new TransactionConflictException({ message: 'conflict', $metadata: {} }))
      .resolves({ Attributes: item() });
    await upsertProduct(client, TABLE)({ sku: 'A', name: 'Mug', priceCents: 99 });
    expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 2);
  });
});

describe('restockProduct without an Idempotency-Key', () => {
  it('adds atomically to an existing product', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: item(product('A', 15)) });
    const result = await restockProduct(client, TABLE)({ sku: 'A', quantity: 5 });
    expect(result).toEqual({ outcome: 'restocked', product: product('A', 15) });
    expect(ddb.commandCalls(UpdateCommand)[0]!.args[0].input).toEqual({
      TableName: TABLE,
      Key: { pk: 'PRODUCT#A' },
      UpdateExpression: 'ADD #available :quantity, #version :one',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#available': 'available', '#version': 'version' },
      ExpressionAttributeValues: { ':quantity': 5, ':one': 1 },
      ReturnValues: 'ALL_NEW',
    });
  });

  it('answers unknown-sku when the product does not exist', async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed());
    expect(await restockProduct(client, TABLE)({ sku: 'A', quantity: 5 })).toEqual({
      outcome: 'unknown-sku',
    });
  });
});

describe('restockProduct with an Idempotency-Key', () => {
  const restock = restockProduct(client, TABLE, () => NOW);
  const keyRecord = {
    pk: 'RESTOCK#k-1',
    kind: 'restock-request',
    sku: 'A',
    quantity: 5,
    ttl: NOW_S + 86400,
  };

  it('records the key and adds the stock in one transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(GetCommand).resolves({ Item: item(product('A', 15)) });
    const result = await restock({ sku: 'A', quantity: 5, idempotencyKey: 'k-1' });

    expect(result).toEqual({ outcome: 'restocked', product: product('A', 15) });
    expect(ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input).toEqual({
      TransactItems: [
        {
          Put: {
            TableName: TABLE,
            Item: keyRecord,
            ConditionExpression: 'attribute_not_exists(pk) OR #ttl < :now',
            ExpressionAttributeNames: { '#ttl': 'ttl' },
            ExpressionAttributeValues: { ':now': NOW_S },
          },
        },
        {
          Update: {
            TableName: TABLE,
            Key: { pk: 'PRODUCT#A' },
            UpdateExpression: 'ADD #available :quantity, #version :one',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#available': 'available', '#version': 'version' },
            ExpressionAttributeValues: { ':quantity': 5, ':one': 1 },
          },
        },
      ],
    });
  });

  it('adds nothing on a retry with the same key and body, and answers the product as it is', async () => {
    ddb.on(TransactWriteCommand).rejects(canceled('ConditionalCheckFailed', 'None'));
    ddb
      .on(GetCommand, { Key: { pk: 'RESTOCK#k-1' } })
      .resolves({ Item: keyRecord })
      .on(GetCommand, { Key: { pk: 'PRODUCT#A' } })
      .resolves({ Item: item(product('A', 15)) });
    expect(await restock({ sku: 'A', quantity: 5, idempotencyKey: 'k-1' })).toEqual({
      outcome: 'replayed',
      product: product('A', 15),
    });
  });

  it('refuses the same key with another body', async () => {
    ddb.on(TransactWriteCommand).rejects(canceled('ConditionalCheckFailed', 'None'));
    ddb.on(GetCommand, { Key: { pk: 'RESTOCK#k-1' } }).resolves({ Item: keyRecord });
    expect(await restock({ sku: 'A', quantity: 6, idempotencyKey: 'k-1' })).toEqual({
      outcome: 'key-reused',
      original: { sku: 'A', quantity: 5 },
    });
  });

  it('answers unknown-sku when only the product condition failed', async () => {
    ddb.on(TransactWriteCommand).rejects(canceled('None', 'ConditionalCheckFailed'));
    expect(await restock({ sku: 'A', quantity: 5, idempotencyKey: 'k-1' })).toEqual({
      outcome: 'unknown-sku',
    });
    expect(ddb).not.toHaveReceivedCommand(GetCommand);
  });

  it('retries a transaction conflict, which applied nothing', async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(canceled('None', 'TransactionConflict')).resolves({});
    ddb.on(GetCommand).resolves({ Item: item(product('A', 15)) });
    expect((await restock({ sku: 'A', quantity: 5, idempotencyKey: 'k-1' })).outcome).toBe(
      'restocked',
    );
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 2);
  });
});
