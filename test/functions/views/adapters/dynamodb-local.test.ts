import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConcurrentUpdateError } from '#plumbing/outbox.js';
import { DynamoDbLocal } from '@shop/local-cloud';
import { listViews, loadView, saveView } from '../../../../functions/views/adapters/dynamo.js';
import { LIST_INDEX_ATTRIBUTES } from '../../../../functions/views/adapters/keys.js';
import type { JourneyEvent } from '../../../../functions/views/domain/journey.js';
import { project, type OrderView } from '../../../../functions/views/domain/order-view.js';
import { deleteOtherVersions } from '../../../../ops/rebuild/sweep.js';
import { CUSTOMER, journeys } from '../fixtures.js';

/* The adapter and the rebuild's sweep against AWS's DynamoDB Local, with the gsi1 index the stack declares. */

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
}, 60_000);
afterAll(async () => {
  raw?.destroy();
  await ddb?.stop();
});

beforeEach(async () => {
  table = `views-${randomUUID()}`;
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
          // As the stack declares it: the keys, the list entry and the status only.
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...LIST_INDEX_ATTRIBUTES] },
        },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
});
afterEach(async () => {
  await raw.send(new DeleteTableCommand({ TableName: table }));
});

/** Order i of the given journey, placed on day i of May. */
function viewOf(i: number, journey: string): OrderView {
  const events = journeys(`ord_${i}`)[journey]!.map((e): JourneyEvent => {
    const shifted = structuredClone(e);
    if (shifted['detail-type'] === 'OrderPlaced') {
      shifted.detail.data.placedAt = `2026-05-${String(i).padStart(2, '0')}T10:00:00.000Z`;
    }
    return shifted;
  });
  return events.reduce<OrderView | undefined>(project, undefined)!;
}

describe('the views adapter on DynamoDB Local', () => {
  it('stores, reloads and refuses a stale revision', async () => {
    const save = saveView(client, table);
    const view = viewOf(1, 'completed');
    await save(1, view, 0);
    expect(await loadView(client, table)(1, 'ord_1')).toEqual({ view, revision: 1 });
    await expect(save(1, view, 0)).rejects.toBeInstanceOf(ConcurrentUpdateError);
    await save(1, view, 1);
    await expect(save(1, view, 1)).rejects.toBeInstanceOf(ConcurrentUpdateError);
  });

  it('pages newest first through positions, and a status filter reads on past other statuses', async () => {
    const save = saveView(client, table);
    // Days 1..9: completed on odd days, out of stock on even ones; and one in version 2.
    for (let i = 1; i <= 9; i++) await save(1, viewOf(i, i % 2 ? 'completed' : 'outOfStock'), 0);
    await save(2, viewOf(10, 'completed'), 0);
    const list = listViews(client, table);

    const ids: string[] = [];
    let after;
    do {
      const page = await list(1, CUSTOMER, { limit: 4, after });
      ids.push(...page.orders.map((v) => v.orderId));
      after = page.next;
    } while (after);
    expect(ids).toEqual([
      'ord_9',
      'ord_8',
      'ord_7',
      'ord_6',
      'ord_5',
      'ord_4',
      'ord_3',
      'ord_2',
      'ord_1',
    ]);

    const cancelled = await list(1, CUSTOMER, { limit: 2, status: 'CANCELLED' });
    expect(cancelled.orders.map((v) => v.orderId)).toEqual(['ord_8', 'ord_6']);
    const rest = await list(1, CUSTOMER, { limit: 10, status: 'CANCELLED', after: cancelled.next });
    expect(rest.orders.map((v) => v.orderId)).toEqual(['ord_4', 'ord_2']);
    expect((await list(2, CUSTOMER, { limit: 10 })).orders.map((v) => v.orderId)).toEqual([
      'ord_10',
    ]);
  });

  it("the rebuild's sweep deletes every view of other versions and nothing else", async () => {
    const save = saveView(client, table);
    for (const version of [1, 2, 3]) await save(version, viewOf(version, 'completed'), 0);
    const others = [
      { pk: 'PROJECTION', active: 2 },
      { pk: 'views-OnEvent#abc', status: 'COMPLETED' },
    ];
    for (const Item of others) await client.send(new PutCommand({ TableName: table, Item }));
    expect(await deleteOtherVersions(client, table, 2)).toBe(2);
    const { Items = [] } = await client.send(new ScanCommand({ TableName: table }));
    expect(Items.map((i) => i['pk']).sort()).toEqual(
      ['PROJECTION', 'V#2#ORDER#ord_2', 'views-OnEvent#abc'].sort(),
    );
  });
});
