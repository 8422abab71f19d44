import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { Notification } from '../domain/notification.js';
import type { ListNotifications, PagePosition, SaveNotification } from '../ports.js';

/** The GSI every notification is listed by: one partition per customer, sorted by time. */
export const INDEX_NAME = 'gsi1';

const customerPartition = (customerId: string) => `CUSTOMER#${customerId}`;
const notificationKey = (eventId: string) => ({ pk: `NOTIFICATION#${eventId}` });
/** Time first so the index sorts by it; the eventId breaks ties and makes the key unique. */
const sortKey = (p: PagePosition) => `${p.occurredAt}#${p.eventId}`;

export function notificationToItem(n: Notification): Record<string, unknown> {
  return {
    ...notificationKey(n.eventId),
    // `kind` is the item type on every table of the project; the notification's own kind is kept apart.
    kind: 'notification',
    eventId: n.eventId,
    customerId: n.customerId,
    orderId: n.orderId,
    notificationKind: n.kind,
    message: n.message,
    occurredAt: n.occurredAt,
    gsi1pk: customerPartition(n.customerId),
    gsi1sk: sortKey(n),
  };
}

const notificationItem = z
  .object({
    eventId: z.string(),
    customerId: z.string(),
    orderId: z.string(),
    notificationKind: z.enum([
      'ORDER_CONFIRMED',
      'ORDER_CANCELLED',
      'SHIPMENT_DISPATCHED',
      'SHIPMENT_DELIVERED',
    ]),
    message: z.string(),
    occurredAt: z.string(),
  })
  .transform(({ notificationKind, ...rest }): Notification => ({
    ...rest,
    kind: notificationKind,
  }));

function notificationFromItem(item: Record<string, unknown>): Notification {
  const parsed = notificationItem.safeParse(item);
  if (!parsed.success) {
    throw new Error(
      `Item ${String(item['pk'])} is not a valid notification: ${parsed.error.issues
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ')}`,
    );
  }
  return parsed.data;
}

/**
 * One put keyed by the eventId, conditioned on it being new: a redelivered or
 * replayed event, even long after Powertools' idempotency record expired,
 * records nothing twice.
 */
export const saveNotification =
  (client: DynamoDBDocumentClient, tableName: string): SaveNotification =>
  async (notification) => {
    try {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: notificationToItem(notification),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'recorded';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'duplicate';
      throw error;
    }
  };

/** A customer's notifications, newest first, one page at a time. */
export const listNotifications =
  (client: DynamoDBDocumentClient, tableName: string): ListNotifications =>
  async (customerId, { limit, after }) => {
    const partition = customerPartition(customerId);
    const out = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: INDEX_NAME,
        KeyConditionExpression: '#partition = :partition',
        ExpressionAttributeNames: { '#partition': 'gsi1pk' },
        ExpressionAttributeValues: { ':partition': partition },
        ScanIndexForward: false,
        Limit: limit,
        // A GSI page resumes from the table key plus the index key of the last item.
        ...(after && {
          ExclusiveStartKey: {
            ...notificationKey(after.eventId),
            gsi1pk: partition,
            gsi1sk: sortKey(after),
          },
        }),
      }),
    );
    const notifications = (out.Items ?? []).map(notificationFromItem);
    const last = notifications.at(-1);
    return {
      notifications,
      next:
        out.LastEvaluatedKey && last
          ? { occurredAt: last.occurredAt, eventId: last.eventId }
          : undefined,
    };
  };
