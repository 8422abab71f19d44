import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConcurrentUpdateError } from '#plumbing/outbox.js';
import { runExport } from '../../../../../functions/orders/domain/exports/decider.js';
import { noExport } from '../../../../../functions/orders/domain/exports/state.js';
import {
  dynamoExportStore,
  EXPORT_TTL_SECONDS,
} from '../../../../../functions/orders/exports/adapters/dynamo-export-store.js';
import {
  daysOf,
  dynamoOrderPages,
} from '../../../../../functions/orders/exports/adapters/dynamo-order-pages.js';
import { ADA, EXPORT_ID, GRACE, requestExport } from '../support/fixtures.js';

const TABLE = 'orders-table';
const NOW = new Date('2026-12-02T10:00:00.000Z');
const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const store = dynamoExportStore(client, TABLE, () => NOW);
const { job } = runExport(requestExport({}, NOW.toISOString()), noExport);

const canceled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

beforeEach(() => ddb.reset());

describe('export store', () => {
  it('loads and validates an export item', async () => {
    ddb
      .on(GetCommand)
      .resolves({ Item: { pk: `EXPORT#${EXPORT_ID}`, kind: 'export', version: 2, ...job } });
    await expect(store.loadExport(EXPORT_ID)).resolves.toEqual({ job, version: 2 });
    expect(ddb).toHaveReceivedCommandWith(GetCommand, {
      TableName: TABLE,
      Key: { pk: `EXPORT#${EXPORT_ID}` },
      ConsistentRead: true,
    });
  });

  it('names the item and the problem when a stored export is not valid', async () => {
    ddb
      .on(GetCommand)
      .resolves({ Item: { pk: `EXPORT#${EXPORT_ID}`, version: 1, ...job, status: 'DONE' } });
    await expect(store.loadExport(EXPORT_ID)).rejects.toThrow(
      /EXPORT#exp_.* is not a valid export/,
    );
  });

  it('creates the export, its key and its event in one transaction, expiring after 8 days', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const idempotency = { key: 'k-1', requestHash: 'h', exportId: EXPORT_ID };
    await expect(store.createExport({ job, events: [], idempotency })).resolves.toBe('created');
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items[0]!.Put).toMatchObject({
      Item: {
        pk: `EXPORT#${EXPORT_ID}`,
        kind: 'export',
        version: 1,
        status: 'PENDING',
        ttl: NOW.getTime() / 1000 + EXPORT_TTL_SECONDS,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(items[1]!.Put).toMatchObject({
      Item: { pk: 'EXPORT_IDEMPOTENCY_KEY#k-1', ...idempotency },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it("answers 'key-taken' when another request claimed the key first", async () => {
    ddb.on(TransactWriteCommand).rejects(canceled('None', 'ConditionalCheckFailed'));
    await expect(
      store.createExport({
        job,
        events: [],
        idempotency: { key: 'k', requestHash: 'h', exportId: EXPORT_ID },
      }),
    ).resolves.toBe('key-taken');
  });

  it('saves on top of the expected version, and throws ConcurrentUpdateError when it moved', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await store.saveExport({ job, expectedVersion: 3, events: [] });
    expect(
      ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![0]!.Put,
    ).toMatchObject({
      Item: { version: 4 },
      ConditionExpression: 'version = :expected',
      ExpressionAttributeValues: { ':expected': 3 },
    });
    ddb.on(TransactWriteCommand).rejects(canceled('ConditionalCheckFailed'));
    await expect(store.saveExport({ job, expectedVersion: 3, events: [] })).rejects.toBeInstanceOf(
      ConcurrentUpdateError,
    );
  });
});

describe('order pages', () => {
  const indexes = { byCustomer: 'ordersByCustomer', byDay: 'ordersByDay' };
  const item = (n: number, customerId = ADA, placedAt = `2026-11-0${n}T10:00:00.000Z`) => ({
    pk: `ORDER#ord_${n}`,
    orderId: `ord_${n}`,
    customerId,
    status: 'CANCELLED',
    placedAt,
    lines: [{ sku: 'MUG-001', quantity: 1 }],
    pricing: { amountCents: 1200, currency: 'USD', lines: [] },
    reason: 'CUSTOMER_REQUEST',
  });

  it("reads one customer's window from the by-customer index, page by page", async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [item(1)], LastEvaluatedKey: { pk: 'ORDER#ord_1' } })
      .resolvesOnce({ Items: [item(2)] });
    const pages = dynamoOrderPages(
      client,
      TABLE,
      indexes,
      1,
    )({
      scope: { kind: 'customer', customerId: ADA },
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-12-01T00:00:00.000Z',
    });
    const rows = [];
    for await (const page of pages) rows.push(...page);
    expect(rows.map((r) => r.orderId)).toEqual(['ord_1', 'ord_2']);
    expect(rows[0]).toEqual({
      orderId: 'ord_1',
      customerId: ADA,
      status: 'CANCELLED',
      placedAt: '2026-11-01T10:00:00.000Z',
      amountCents: 1200,
      currency: 'USD',
      lines: [{ sku: 'MUG-001', quantity: 1 }],
      cancellationReason: 'CUSTOMER_REQUEST',
    });
    const calls = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(calls[0]).toMatchObject({
      TableName: TABLE,
      IndexName: 'ordersByCustomer',
      KeyConditionExpression: '#p = :p AND placedAt BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#p': 'customerId' },
      ExpressionAttributeValues: {
        ':p': ADA,
        ':from': '2026-11-01T00:00:00.000Z',
        ':to': '2026-12-01T00:00:00.000Z',
      },
      Limit: 1,
    });
    expect(calls[1]!.ExclusiveStartKey).toEqual({ pk: 'ORDER#ord_1' });
  });

  it("reads everyone's orders from the by-day index, one day partition after another", async () => {
    ddb.on(QueryCommand).resolves({ Items: [item(2, GRACE)] });
    const rows = [];
    for await (const page of dynamoOrderPages(
      client,
      TABLE,
      indexes,
    )({
      scope: { kind: 'all' },
      from: '2026-11-01T12:00:00.000Z',
      to: '2026-11-03T00:00:00.000Z',
    }))
      rows.push(...page);
    const calls = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => [c.IndexName, c.ExpressionAttributeValues?.[':p']])).toEqual([
      ['ordersByDay', '2026-11-01'],
      ['ordersByDay', '2026-11-02'],
    ]);
    expect(rows).toHaveLength(2);
  });

  it('drops an order placed exactly at the end of the window ([from, to))', async () => {
    ddb.on(QueryCommand).resolves({
      Items: [item(1), item(2, ADA, '2026-12-01T00:00:00.000Z')],
    });
    const rows = [];
    for await (const page of dynamoOrderPages(
      client,
      TABLE,
      indexes,
    )({
      scope: { kind: 'customer', customerId: ADA },
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-12-01T00:00:00.000Z',
    }))
      rows.push(...page);
    expect(rows.map((r) => r.orderId)).toEqual(['ord_1']);
  });

  it('lists the UTC days a window touches, the end excluded', () => {
    expect(daysOf('2026-11-30T23:00:00.000Z', '2026-12-02T00:00:00.000Z')).toEqual([
      '2026-11-30',
      '2026-12-01',
    ]);
    expect(daysOf('2026-11-30T00:00:00.000Z', '2026-11-30T00:00:01.000Z')).toEqual(['2026-11-30']);
  });

  it('names the item when an order lacks what an export needs', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ pk: 'ORDER#ord_9', orderId: 'ord_9' }] });
    const pages = dynamoOrderPages(
      client,
      TABLE,
      indexes,
    )({
      scope: { kind: 'customer', customerId: ADA },
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-12-01T00:00:00.000Z',
    });
    await expect(pages[Symbol.asyncIterator]().next()).rejects.toThrow(/ORDER#ord_9/);
  });
});
