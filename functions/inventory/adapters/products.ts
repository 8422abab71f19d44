import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { Product } from '../domain/product.js';
import type { GetProduct, RestockProduct, UpsertProduct } from '../ports.js';
import { productFromItem, productKey, restockRequestKey } from './items.js';

/** How long an Idempotency-Key of a restock is remembered. */
export const RESTOCK_KEY_TTL_SECONDS = 24 * 60 * 60;

const epoch = (now: Date) => Math.floor(now.getTime() / 1000);

function isTransactionConflict(error: unknown): boolean {
  if (error instanceof TransactionCanceledException) {
    return (error.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict');
  }
  return (error as { name?: string } | undefined)?.name === 'TransactionConflictException';
}

/**
 * A single write that collides with a reservation transaction in flight on the
 * same product fails with a transaction conflict and is not applied, so
 * retrying it is safe even for a non-idempotent ADD. The SDK does not retry it.
 */
async function retryTransactionConflict<T>(attempt: () => Promise<T>, maxAttempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isTransactionConflict(error) || i >= maxAttempts) throw error;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * 2 ** i));
    }
  }
}

const names = {
  '#kind': 'kind',
  '#sku': 'sku',
  '#name': 'name',
  '#priceCents': 'priceCents',
  '#available': 'available',
  '#reserved': 'reserved',
  '#version': 'version',
};

export const getProduct =
  (client: DynamoDBDocumentClient, tableName: string): GetProduct =>
  async (sku) => {
    const out = await client.send(
      new GetCommand({ TableName: tableName, Key: productKey(sku), ConsistentRead: true }),
    );
    return out.Item ? productFromItem(out.Item) : undefined;
  };

/**
 * One UpdateItem: sets name and price, starts stock at zero only if there is
 * none (if_not_exists), so a concurrent restock or reservation is never
 * overwritten. The version it ends at tells whether this call created it.
 */
export const upsertProduct =
  (client: DynamoDBDocumentClient, tableName: string): UpsertProduct =>
  async ({ sku, name, priceCents }) => {
    const out = await retryTransactionConflict(() =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: productKey(sku),
          UpdateExpression:
            'SET #kind = :kind, #sku = :sku, #name = :name, #priceCents = :priceCents, ' +
            '#available = if_not_exists(#available, :zero), #reserved = if_not_exists(#reserved, :zero) ' +
            'ADD #version :one',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: {
            ':kind': 'product',
            ':sku': sku,
            ':name': name,
            ':priceCents': priceCents,
            ':zero': 0,
            ':one': 1,
          },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    const product = productFromItem(out.Attributes ?? {});
    return { product, created: product.version === 1 };
  };

const restockUpdate = (tableName: string, sku: string, quantity: number) => ({
  TableName: tableName,
  Key: productKey(sku),
  UpdateExpression: 'ADD #available :quantity, #version :one',
  // Restocking an unknown SKU would create a product without name or price.
  ConditionExpression: 'attribute_exists(pk)',
  ExpressionAttributeNames: { '#available': 'available', '#version': 'version' },
  ExpressionAttributeValues: { ':quantity': quantity, ':one': 1 },
});

/**
 * Adds stock atomically (ADD, no read-modify-write). With an Idempotency-Key,
 * the key's record and the ADD go in one transaction: a retry with the same
 * key adds nothing, and a key expires after RESTOCK_KEY_TTL_SECONDS.
 */
export const restockProduct =
  (client: DynamoDBDocumentClient, tableName: string, now = () => new Date()): RestockProduct =>
  async ({ sku, quantity, idempotencyKey }) => {
    const current = getProduct(client, tableName);
    if (idempotencyKey === undefined) {
      try {
        const out = await retryTransactionConflict(() =>
          client.send(
            new UpdateCommand({
              ...restockUpdate(tableName, sku, quantity),
              ReturnValues: 'ALL_NEW',
            }),
          ),
        );
        return { outcome: 'restocked', product: productFromItem(out.Attributes ?? {}) };
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return { outcome: 'unknown-sku' };
        throw error;
      }
    }

    const at = epoch(now());
    try {
      await retryTransactionConflict(() =>
        client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: {
                    ...restockRequestKey(idempotencyKey),
                    kind: 'restock-request',
                    sku,
                    quantity,
                    ttl: at + RESTOCK_KEY_TTL_SECONDS,
                  },
                  // TTL deletion lags by up to days; an expired key counts as unused.
                  ConditionExpression: 'attribute_not_exists(pk) OR #ttl < :now',
                  ExpressionAttributeNames: { '#ttl': 'ttl' },
                  ExpressionAttributeValues: { ':now': at },
                },
              },
              { Update: restockUpdate(tableName, sku, quantity) },
            ],
          }),
        ),
      );
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [keyReason, productReason] = (error.CancellationReasons ?? []).map((r) => r.Code);
      if (keyReason === 'ConditionalCheckFailed') {
        return replay(client, tableName, { sku, quantity, idempotencyKey }, current);
      }
      if (productReason === 'ConditionalCheckFailed') return { outcome: 'unknown-sku' };
      throw error;
    }
    return found(await current(sku), sku, 'restocked');
  };

async function replay(
  client: DynamoDBDocumentClient,
  tableName: string,
  request: { sku: string; quantity: number; idempotencyKey: string },
  current: GetProduct,
) {
  const out = await client.send(
    new GetCommand({
      TableName: tableName,
      Key: restockRequestKey(request.idempotencyKey),
      ConsistentRead: true,
    }),
  );
  if (!out.Item) {
    // Expired and deleted between the transaction and this read: the client may simply retry.
    throw new Error(`Restock key ${request.idempotencyKey} expired while being checked; retry.`);
  }
  const original = { sku: String(out.Item['sku']), quantity: Number(out.Item['quantity']) };
  if (original.sku !== request.sku || original.quantity !== request.quantity) {
    return { outcome: 'key-reused' as const, original };
  }
  return found(await current(request.sku), request.sku, 'replayed');
}

function found<O extends 'restocked' | 'replayed'>(
  product: Product | undefined,
  sku: string,
  outcome: O,
): { outcome: O; product: Product } {
  // Products are never deleted, so one that was just restocked is there.
  if (!product) throw new Error(`Product ${sku} vanished right after its restock.`);
  return { outcome, product };
}
