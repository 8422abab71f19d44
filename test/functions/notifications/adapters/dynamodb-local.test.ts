import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  listNotifications,
  saveNotification,
} from '../../../../functions/notifications/adapters/dynamo.js';
import type { Notification } from '../../../../functions/notifications/domain/notification.js';
import { makeListNotifications } from '../../../../functions/notifications/handlers/list-notifications.js';
import { DynamoDbLocal } from '@shop/local-cloud';
import { context, customerClaims, httpEvent, parseJson } from '../../../support/lambda-events.js';

/* The adapter against AWS's DynamoDB Local, with the gsi1 index the stack declares. */

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
  client = DynamoDBDocumentClient.from(raw);
});
afterAll(async () => {
  raw?.destroy();
  await ddb?.stop();
});

beforeEach(async () => {
  table = `notifications-${randomUUID()}`;
  await raw.send(
    new CreateTableCommand({
      TableName: table,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'gsi1pk', AttributeType: 'S' },
        { AttributeName: 'gsi1sk', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'gsi1',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
});
afterEach(async () => {
  await raw.send(new DeleteTableCommand({ TableName: table }));
});

const note = (customerId: string, minute: number): Notification => ({
  eventId: randomUUID(),
  customerId,
  orderId: 'ord_1',
  kind: 'ORDER_CONFIRMED',
  message: `message at minute ${minute}`,
  occurredAt: `2026-05-01T10:${String(minute).padStart(2, '0')}:00.000Z`,
});

describe('notifications on DynamoDB Local', () => {
  it('records a notification once', async () => {
    const save = saveNotification(client, table);
    const n = note('cus_1', 1);
    expect(await save(n)).toBe('recorded');
    expect(await save(n)).toBe('duplicate');
    expect((await listNotifications(client, table)('cus_1', { limit: 10 })).notifications).toEqual([
      n,
    ]);
  });

  it("pages through a customer's notifications newest first, and only theirs", async () => {
    const save = saveNotification(client, table);
    const mine = [3, 1, 5, 2, 4].map((m) => note('cus_1', m));
    for (const n of [...mine, note('cus_2', 9)]) await save(n);

    const handler = makeListNotifications({ list: listNotifications(client, table) });
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const res = await handler(
        httpEvent({
          method: 'GET',
          path: '/customers/cus_1/notifications',
          pathParameters: { customerId: 'cus_1' },
          claims: customerClaims('cus_1'),
          queryStringParameters: { limit: '2', ...(nextToken && { nextToken }) },
        }),
        context,
      );
      expect(res.statusCode).toBe(200);
      const body = parseJson(res.body) as {
        notifications: { message: string }[];
        nextToken?: string;
      };
      seen.push(...body.notifications.map((n) => n.message));
      nextToken = body.nextToken;
      pages++;
    } while (nextToken && pages < 10);

    expect(seen).toEqual([5, 4, 3, 2, 1].map((m) => `message at minute ${m}`));
  });

  it('answers an empty page for a customer with none', async () => {
    expect(await listNotifications(client, table)('cus_none', { limit: 5 })).toEqual({
      notifications: [],
      next: undefined,
    });
  });
});
