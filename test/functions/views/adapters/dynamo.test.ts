import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConcurrentUpdateError } from '#plumbing/outbox.js';
import {
  listViews,
  loadView,
  readPointer,
  saveView,
} from '../../../../functions/views/adapters/dynamo.js';
import { viewToItem } from '../../../../functions/views/adapters/view-item.js';
import { project, type OrderView } from '../../../../functions/views/domain/order-view.js';
import { orderSummary } from '../../../../functions/views/domain/render.js';
import { CUSTOMER, journeys, ORDER } from '../fixtures.js';

const TABLE = 'views-table';
const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const view = journeys()['completed']!.reduce<OrderView | undefined>(project, undefined)!;

beforeEach(() => ddb.reset());

describe('the views table adapter', () => {
  it('reads version 1 active and nothing building when no pointer exists yet', async () => {
    ddb.on(GetCommand).resolves({});
    expect(await readPointer(client, TABLE)()).toEqual({ active: 1 });
    ddb.on(GetCommand).resolves({ Item: { pk: 'PROJECTION', active: 3, building: 4 } });
    expect(await readPointer(client, TABLE)()).toEqual({ active: 3, building: 4 });
  });

  it('stores a view under its version, listed by customer and placedAt, at the next revision', async () => {
    ddb.on(PutCommand).resolves({});
    await saveView(client, TABLE)(2, view, 7);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: TABLE,
      Item: expect.objectContaining({
        pk: `V#2#ORDER#${ORDER}`,
        kind: 'order-view',
        projectionVersion: 2,
        revision: 8,
        status: 'COMPLETED',
        gsi1pk: `V#2#CUSTOMER#${CUSTOMER}`,
        gsi1sk: `${view.placedAt}#${ORDER}`,
        view,
      }),
      ConditionExpression: 'revision = :expected',
      ExpressionAttributeValues: { ':expected': 7 },
    });
  });

  it('creates a view only if none is there, and leaves it out of the list until placedAt is known', async () => {
    ddb.on(PutCommand).resolves({});
    const { placedAt: _, ...unplaced } = view;
    await saveView(client, TABLE)(1, unplaced, 0);
    const input = ddb.commandCalls(PutCommand)[0]!.args[0].input;
    expect(input.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(input.Item).not.toHaveProperty('gsi1pk');
  });

  it('turns a lost race into ConcurrentUpdateError, for the handler to reload', async () => {
    ddb
      .on(PutCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'failed', $metadata: {} }));
    await expect(saveView(client, TABLE)(1, view, 3)).rejects.toBeInstanceOf(ConcurrentUpdateError);
  });

  it('loads a view with its revision, consistently, and refuses an item that is no view', async () => {
    ddb.on(GetCommand).resolves({ Item: viewToItem(1, view, 4) });
    expect(await loadView(client, TABLE)(1, ORDER)).toEqual({ view, revision: 4 });
    expect(ddb).toHaveReceivedCommandWith(GetCommand, {
      Key: { pk: `V#1#ORDER#${ORDER}` },
      ConsistentRead: true,
    });
    ddb.on(GetCommand).resolves({ Item: { pk: `V#1#ORDER#${ORDER}`, revision: 1, view: {} } });
    await expect(loadView(client, TABLE)(1, ORDER)).rejects.toThrow(/is not a valid order view/);
  });

  it('lists newest first from the position given, and reads on past a filter until the page is full', async () => {
    const item = viewToItem(1, view, 1);
    ddb
      .on(QueryCommand)
      .resolvesOnce({
        Items: [],
        LastEvaluatedKey: {
          pk: 'V#1#ORDER#ord_9',
          gsi1pk: 'x',
          gsi1sk: '2026-05-09T00:00:00.000Z#ord_9',
        },
      })
      .resolvesOnce({ Items: [item] });
    const page = await listViews(client, TABLE)(1, CUSTOMER, {
      limit: 1,
      status: 'COMPLETED',
      after: { placedAt: '2026-05-10T00:00:00.000Z', orderId: 'ord_10' },
    });
    expect(page).toEqual({ orders: [orderSummary(view)] });
    const calls = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(calls[0]).toMatchObject({
      IndexName: 'gsi1',
      ScanIndexForward: false,
      FilterExpression: '#status = :status',
      ExpressionAttributeValues: {
        ':partition': `V#1#CUSTOMER#${CUSTOMER}`,
        ':status': 'COMPLETED',
      },
      ExclusiveStartKey: {
        pk: 'V#1#ORDER#ord_10',
        gsi1pk: `V#1#CUSTOMER#${CUSTOMER}`,
        gsi1sk: '2026-05-10T00:00:00.000Z#ord_10',
      },
    });
    expect(calls[1]?.ExclusiveStartKey).toEqual({
      pk: 'V#1#ORDER#ord_9',
      gsi1pk: `V#1#CUSTOMER#${CUSTOMER}`,
      gsi1sk: '2026-05-09T00:00:00.000Z#ord_9',
    });
  });

  it('answers the position of the last key read when DynamoDB says there is more', async () => {
    ddb.on(QueryCommand).resolves({
      Items: [viewToItem(1, view, 1)],
      LastEvaluatedKey: {
        pk: `V#1#ORDER#${ORDER}`,
        gsi1pk: 'x',
        gsi1sk: `${view.placedAt}#${ORDER}`,
      },
    });
    const page = await listViews(client, TABLE)(1, CUSTOMER, { limit: 1 });
    expect(page.next).toEqual({ placedAt: view.placedAt, orderId: ORDER });
  });
});
