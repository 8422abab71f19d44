import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { ConcurrentUpdateError } from '#plumbing/outbox.js';
import type { OrderSummary } from '../domain/render.js';
import type { ListPosition, ListViews, LoadView, ReadPointer, SaveView } from '../ports.js';
import { customerPartition, FIRST_VERSION, listSortKey, POINTER_KEY, viewKey } from './keys.js';
import { summaryFromItem, viewFromItem, viewToItem } from './view-item.js';

/** The GSI views are listed by: one partition per version and customer, sorted by placedAt. */
export const INDEX_NAME = 'gsi1';

/** A filtered list reads on until the page is full, but at most this many index pages. */
const MAX_QUERIES_PER_PAGE = 5;

/** The pointer item; none yet means version 1 is active and nothing is building. */
export const readPointer =
  (client: DynamoDBDocumentClient, tableName: string): ReadPointer =>
  async () => {
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: POINTER_KEY, ConsistentRead: true }),
    );
    const active = Item?.['active'];
    const building = Item?.['building'];
    return {
      active: typeof active === 'number' ? active : FIRST_VERSION,
      ...(typeof building === 'number' && { building }),
    };
  };

export const loadView =
  (client: DynamoDBDocumentClient, tableName: string): LoadView =>
  async (version, orderId) => {
    const { Item } = await client.send(
      new GetCommand({
        TableName: tableName,
        Key: viewKey(version, orderId),
        ConsistentRead: true,
      }),
    );
    return Item ? viewFromItem(Item) : undefined;
  };

/** One put conditioned on the revision loaded: two consumers never overwrite each other's event. */
export const saveView =
  (client: DynamoDBDocumentClient, tableName: string): SaveView =>
  async (version, view, expectedRevision) => {
    try {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: viewToItem(version, view, expectedRevision + 1),
          ...(expectedRevision === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'revision = :expected',
                ExpressionAttributeValues: { ':expected': expectedRevision },
              }),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ConcurrentUpdateError([
          `view ${view.orderId} moved past revision ${expectedRevision}`,
        ]);
      }
      throw error;
    }
  };

/** A customer's views in one version, newest first, optionally of one status. */
export const listViews =
  (client: DynamoDBDocumentClient, tableName: string): ListViews =>
  async (version, customerId, { limit, status, after }) => {
    const partition = customerPartition(version, customerId);
    const startKey = (p: ListPosition) => ({
      ...viewKey(version, p.orderId),
      gsi1pk: partition,
      gsi1sk: listSortKey(p.placedAt, p.orderId),
    });
    const orders: OrderSummary[] = [];
    let position = after;
    for (let query = 0; query < MAX_QUERIES_PER_PAGE; query++) {
      const out = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: INDEX_NAME,
          KeyConditionExpression: '#partition = :partition',
          ExpressionAttributeNames: {
            '#partition': 'gsi1pk',
            ...(status && { '#status': 'status' }),
          },
          ExpressionAttributeValues: {
            ':partition': partition,
            ...(status && { ':status': status }),
          },
          ...(status && { FilterExpression: '#status = :status' }),
          ScanIndexForward: false,
          Limit: limit - orders.length,
          ...(position && { ExclusiveStartKey: startKey(position) }),
        }),
      );
      orders.push(...(out.Items ?? []).map(summaryFromItem));
      const last = out.LastEvaluatedKey;
      if (!last) return { orders };
      // Resume from the last key read, which a filter may have left out of the page.
      const [placedAt, orderId] = splitSortKey(String(last['gsi1sk']));
      position = { placedAt, orderId };
      if (orders.length >= limit) break;
    }
    return { orders, next: position };
  };

function splitSortKey(sortKey: string): [string, string] {
  const at = sortKey.lastIndexOf('#');
  return [sortKey.slice(0, at), sortKey.slice(at + 1)];
}
