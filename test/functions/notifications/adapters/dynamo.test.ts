import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  listNotifications,
  notificationToItem,
  saveNotification,
} from '../../../../functions/notifications/adapters/dynamo.js';
import type { Notification } from '../../../../functions/notifications/domain/notification.js';
import { CUSTOMER, ORDER } from '../fixtures.js';

const TABLE = 'notifications-table';
const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));

const EVENT_ID = '6f1c1d9e-1111-4111-8111-111111111111';
const notification: Notification = {
  eventId: EVENT_ID,
  customerId: CUSTOMER,
  orderId: ORDER,
  kind: 'SHIPMENT_DISPATCHED',
  message: 'Your order is on its way.',
  occurredAt: '2026-05-02T08:00:00.000Z',
};
const item = {
  pk: `NOTIFICATION#${EVENT_ID}`,
  kind: 'notification',
  eventId: EVENT_ID,
  customerId: CUSTOMER,
  orderId: ORDER,
  notificationKind: 'SHIPMENT_DISPATCHED',
  message: 'Your order is on its way.',
  occurredAt: '2026-05-02T08:00:00.000Z',
  gsi1pk: `CUSTOMER#${CUSTOMER}`,
  gsi1sk: `2026-05-02T08:00:00.000Z#${EVENT_ID}`,
};

beforeEach(() => ddb.reset());

describe('saveNotification', () => {
  it('puts the notification keyed by its eventId, only if that eventId is new', async () => {
    ddb.on(PutCommand).resolves({});
    expect(await saveNotification(client, TABLE)(notification)).toBe('recorded');
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input).toEqual({
      TableName: TABLE,
      Item: item,
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it("answers 'duplicate' when the event was recorded before", async () => {
    ddb
      .on(PutCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    expect(await saveNotification(client, TABLE)(notification)).toBe('duplicate');
  });

  it('lets other failures through, so the message is retried', async () => {
    ddb.on(PutCommand).rejects(new Error('throttled'));
    await expect(saveNotification(client, TABLE)(notification)).rejects.toThrow('throttled');
  });
});

describe('listNotifications', () => {
  it("queries the customer's partition of gsi1, newest first", async () => {
    ddb.on(QueryCommand).resolves({ Items: [item] });
    const page = await listNotifications(client, TABLE)(CUSTOMER, { limit: 10 });
    expect(page).toEqual({ notifications: [notification], next: undefined });
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input).toEqual({
      TableName: TABLE,
      IndexName: 'gsi1',
      KeyConditionExpression: '#partition = :partition',
      ExpressionAttributeNames: { '#partition': 'gsi1pk' },
      ExpressionAttributeValues: { ':partition': `CUSTOMER#${CUSTOMER}` },
      ScanIndexForward: false,
      Limit: 10,
    });
  });

  it('returns where the page ended when DynamoDB has more', async () => {
    ddb.on(QueryCommand).resolves({
      Items: [item],
      LastEvaluatedKey: { pk: item.pk, gsi1pk: item.gsi1pk, gsi1sk: item.gsi1sk },
    });
    const page = await listNotifications(client, TABLE)(CUSTOMER, { limit: 1 });
    expect(page.next).toEqual({ occurredAt: notification.occurredAt, eventId: EVENT_ID });
  });

  it('resumes after a position with the full GSI start key', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    await listNotifications(client, TABLE)(CUSTOMER, {
      limit: 5,
      after: { occurredAt: notification.occurredAt, eventId: EVENT_ID },
    });
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      ExclusiveStartKey: { pk: item.pk, gsi1pk: item.gsi1pk, gsi1sk: item.gsi1sk },
    });
  });

  it('round-trips an item', () => {
    expect(notificationToItem(notification)).toEqual(item);
  });
});
