import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { describeIssues } from '#events/contract.js';
import { commit, type TransactItem } from '#plumbing/outbox.js';
import { orderSchema, type Order } from '../domain/state.js';
import { createClaimingKey } from './create-claiming-key.js';
import type {
  CreateOrder,
  FindIdempotencyKey,
  IdempotencyRecord,
  LoadOrder,
  SaveOrder,
} from '../ports.js';

export const ORDER_KIND = 'order';
export const IDEMPOTENCY_KEY_KIND = 'idempotency-key';
/**
 * How long a POST /orders Idempotency-Key is remembered. Clients retry within
 * minutes; a week is generous and keeps the table from growing without bound.
 */
export const IDEMPOTENCY_KEY_TTL_SECONDS = 7 * 24 * 60 * 60;

export const orderPk = (orderId: string) => `ORDER#${orderId}`;
export const idempotencyKeyPk = (key: string) => `IDEMPOTENCY_KEY#${key}`;

const storedOrder = z.object({ version: z.number().int().positive() });
const storedKey = z.object({
  key: z.string(),
  requestHash: z.string(),
  orderId: z.string(),
});

/**
 * The order item: the state's fields at the top level, plus key, kind and version, and
 * `placedDay` (UTC date of placedAt): with `customerId` and `placedAt` the keys of the
 * indexes exports read by (docs/adr/0015-exports-asynchronous-request-reply.md).
 */
export function orderItem(order: Order, version: number) {
  return {
    pk: orderPk(order.orderId),
    kind: ORDER_KIND,
    version,
    ...order,
    placedDay: placedDayOf(order.placedAt),
  };
}

/** The UTC day of an instant, `YYYY-MM-DD`: the partition of the orders-by-day index. */
export const placedDayOf = (instant: string): string =>
  new Date(instant).toISOString().slice(0, 10);

/** The orders table behind the service's ports. */
export function dynamoOrderStore(
  client: DynamoDBDocumentClient,
  tableName: string,
  now: () => Date = () => new Date(),
): {
  loadOrder: LoadOrder;
  saveOrder: SaveOrder;
  createOrder: CreateOrder;
  findIdempotencyKey: FindIdempotencyKey;
} {
  const get = async (pk: string) => {
    const out = await client.send(
      new GetCommand({ TableName: tableName, Key: { pk }, ConsistentRead: true }),
    );
    return out.Item;
  };

  const loadOrder: LoadOrder = async (orderId) => {
    const item = await get(orderPk(orderId));
    if (!item) return undefined;
    const order = orderSchema.safeParse(item);
    const meta = storedOrder.safeParse(item);
    if (!order.success || !meta.success) {
      const issues = [
        ...(order.success ? [] : describeIssues(order.error)),
        ...(meta.success ? [] : describeIssues(meta.error)),
      ];
      throw new Error(
        `Item ${orderPk(orderId)} in ${tableName} is not a valid order (${issues.join('; ')}); repair or migrate the item.`,
      );
    }
    return { order: order.data, version: meta.data.version };
  };

  const saveOrder: SaveOrder = ({ order, expectedVersion, events, handledEventId }) => {
    const write: TransactItem = {
      Put: {
        TableName: tableName,
        Item: orderItem(order, expectedVersion + 1),
        // Optimistic concurrency: only on top of the version this change was decided from.
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': expectedVersion },
      },
    };
    return commit(
      client,
      tableName,
      { writes: [write], events, ...(handledEventId && { handledEventId }) },
      now(),
    );
  };

  const createOrder: CreateOrder = ({ order, events, idempotency }) =>
    createClaimingKey(
      client,
      tableName,
      {
        item: orderItem(order, 1),
        key: {
          pk: idempotencyKeyPk(idempotency.key),
          kind: IDEMPOTENCY_KEY_KIND,
          fields: idempotency,
          ttlSeconds: IDEMPOTENCY_KEY_TTL_SECONDS,
        },
        events,
      },
      now(),
    );

  const findIdempotencyKey: FindIdempotencyKey = async (key) => {
    const item = await get(idempotencyKeyPk(key));
    if (!item) return undefined;
    const parsed = storedKey.safeParse(item);
    if (!parsed.success) {
      throw new Error(
        `Item ${idempotencyKeyPk(key)} in ${tableName} is not a valid Idempotency-Key record (${describeIssues(parsed.error).join('; ')}).`,
      );
    }
    return parsed.data satisfies IdempotencyRecord;
  };

  return { loadOrder, saveOrder, createOrder, findIdempotencyKey };
}
