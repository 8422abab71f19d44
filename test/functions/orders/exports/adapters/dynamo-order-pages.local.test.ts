import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbLocal } from '@shop/local-cloud';
import { orderItem } from '../../../../../functions/orders/adapters/dynamo-order-store.js';
import type { Order } from '../../../../../functions/orders/domain/state.js';
import { runExport } from '../../../../../functions/orders/domain/exports/decider.js';
import { noExport } from '../../../../../functions/orders/domain/exports/state.js';
import { dynamoExportStore } from '../../../../../functions/orders/exports/adapters/dynamo-export-store.js';
import { dynamoOrderPages } from '../../../../../functions/orders/exports/adapters/dynamo-order-pages.js';
import { makeRunExport } from '../../../../../functions/orders/handlers/export-worker.js';
import { inMemoryBucket } from '../support/in-memory-exports.js';
import { requestExport } from '../support/fixtures.js';
import { ORDER_EXPORT_INDEXES } from '../../../../../infra/constructs/order-exports.js';
import { SEALED_ADDRESS } from '../../../../support/pii.js';

/**
 * The order pages against AWS's DynamoDB Local, on a table indexed as the CDK
 * construct indexes it: key conditions, the [from, to) bounds, paging and the
 * projection are DynamoDB's own.
 */
let dynamo: DynamoDbLocal;
let raw: DynamoDBClient;
let doc: DynamoDBDocumentClient;
const TABLE = 'orders';
const INDEXES = {
  byCustomer: ORDER_EXPORT_INDEXES.byCustomer.indexName,
  byDay: ORDER_EXPORT_INDEXES.byDay.indexName,
};

const order = (n: number, customerId: string, placedAt: string): Order => ({
  status: 'CANCELLED',
  orderId: `ord_${String(n).padStart(32, '0')}`,
  customerId,
  lines: [{ sku: 'MUG-001', quantity: n }],
  shippingAddressCiphertext: SEALED_ADDRESS,
  placedAt,
  updatedAt: placedAt,
  reason: 'OUT_OF_STOCK',
  previousStatus: 'PENDING',
  cancelledAt: placedAt,
});

// ada: one order a day at noon from Nov 28 to Dec 3; grace: two on Nov 30.
const ada = [28, 29, 30].map((d, i) => order(i + 1, 'ada', `2026-11-${d}T12:00:00.000Z`));
ada.push(...[1, 2, 3].map((d, i) => order(i + 4, 'ada', `2026-12-0${d}T12:00:00.000Z`)));
const grace = [
  order(10, 'grace', '2026-11-30T08:00:00.000Z'),
  order(11, 'grace', '2026-11-30T20:00:00.000Z'),
];

beforeAll(async () => {
  dynamo = await DynamoDbLocal.start();
  raw = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const attr = (name: string) => ({ AttributeName: name, AttributeType: 'S' as const });
  const index = (
    i: (typeof ORDER_EXPORT_INDEXES)[keyof typeof ORDER_EXPORT_INDEXES],
    extra: string[],
  ) => ({
    IndexName: i.indexName,
    KeySchema: [
      { AttributeName: i.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: i.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: {
      ProjectionType: 'INCLUDE' as const,
      NonKeyAttributes: ['orderId', 'status', 'lines', 'pricing', 'reason', ...extra],
    },
  });
  await raw.send(
    new CreateTableCommand({
      TableName: TABLE,
      AttributeDefinitions: [attr('pk'), attr('customerId'), attr('placedAt'), attr('placedDay')],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: [
        index(ORDER_EXPORT_INDEXES.byCustomer, []),
        index(ORDER_EXPORT_INDEXES.byDay, ['customerId']),
      ],
    }),
  );
  doc = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  await doc.send(
    new BatchWriteCommand({
      RequestItems: {
        [TABLE]: [...ada, ...grace].map((o) => ({ PutRequest: { Item: orderItem(o, 2) } })),
      },
    }),
  );
});

afterAll(async () => {
  raw?.destroy();
  await dynamo?.stop();
});

async function ids(query: Parameters<ReturnType<typeof dynamoOrderPages>>[0], pageSize = 2) {
  const out: string[] = [];
  let pages = 0;
  for await (const page of dynamoOrderPages(doc, TABLE, INDEXES, pageSize)(query)) {
    pages++;
    out.push(...page.map((r) => `${r.customerId}:${r.orderId.slice(-2)}`));
  }
  return { out, pages };
}

describe('order pages on DynamoDB Local', () => {
  it("reads exactly one customer's orders in [from, to), in pages", async () => {
    const { out, pages } = await ids({
      scope: { kind: 'customer', customerId: 'ada' },
      from: '2026-11-29T12:00:00.000Z',
      to: '2026-12-02T12:00:00.000Z',
    });
    // Nov 29 (from, included) to Dec 1; Dec 2 at noon is `to`, excluded.
    expect(out).toEqual(['ada:02', 'ada:03', 'ada:04']);
    expect(pages).toBe(2);
  });

  it("reads everyone's orders day by day for scope all", async () => {
    const { out } = await ids({
      scope: { kind: 'all' },
      from: '2026-11-30T00:00:00.000Z',
      to: '2026-12-01T00:00:00.000Z',
    });
    expect(out).toEqual(['grace:10', 'ada:03', 'grace:11']);
  });

  it('gets every column an export shows from the index, and never the sealed address', async () => {
    for await (const page of dynamoOrderPages(
      doc,
      TABLE,
      INDEXES,
    )({
      scope: { kind: 'all' },
      from: '2026-11-28T00:00:00.000Z',
      to: '2026-11-29T00:00:00.000Z',
    })) {
      expect(page).toEqual([
        {
          orderId: ada[0]!.orderId,
          customerId: 'ada',
          status: 'CANCELLED',
          placedAt: '2026-11-28T12:00:00.000Z',
          amountCents: undefined,
          currency: undefined,
          lines: [{ sku: 'MUG-001', quantity: 1 }],
          cancellationReason: 'OUT_OF_STOCK',
        },
      ]);
      expect(JSON.stringify(page)).not.toContain('pii:v1');
    }
  });
});

describe('the export worker on DynamoDB Local', () => {
  it('commits RUNNING, progress and SUCCEEDED with its outbox row; a second run changes nothing', async () => {
    const store = dynamoExportStore(doc, TABLE);
    const { job } = runExport(
      requestExport(
        {
          requestedBy: 'ada',
          scope: { kind: 'customer', customerId: 'ada' },
          from: '2026-11-01T00:00:00.000Z',
          to: '2026-12-31T00:00:00.000Z',
        },
        '2026-12-10T00:00:00.000Z',
      ),
      noExport,
    );
    await store.createExport({
      job,
      events: [],
      idempotency: { key: 'k-local', requestHash: 'h', exportId: job.exportId },
    });
    const bucket = inMemoryBucket();
    const run = makeRunExport({
      ...store,
      readOrderPages: dynamoOrderPages(doc, TABLE, INDEXES, 2),
      openObjectWriter: bucket.openObjectWriter,
      now: () => new Date('2026-12-10T00:00:05.000Z'),
      progressEvery: 2,
    });
    const cause = { correlationId: job.exportId, causationId: 'evt-1' };
    await expect(run(job.exportId, cause)).resolves.toBe('succeeded');
    const stored = await store.loadExport(job.exportId);
    // Created (1), RUNNING (2), progress at 2, 4 and 6 rows (3-5), SUCCEEDED (6).
    expect(stored).toMatchObject({ version: 6, job: { status: 'SUCCEEDED', rows: 6 } });
    expect(bucket.objects.get(`exports/ada/${job.exportId}.csv`)?.split('\r\n')).toHaveLength(8);
    const outbox = await doc.send(
      new ScanCommand({
        TableName: TABLE,
        FilterExpression: 'kind = :k',
        ExpressionAttributeValues: { ':k': 'outbox' },
      }),
    );
    expect(outbox.Items?.map((i) => i['detailType'])).toEqual(['ExportSucceeded']);
    await expect(run(job.exportId, cause)).resolves.toBe('already-finished');
    expect((await store.loadExport(job.exportId))?.version).toBe(6);
  });
});
