import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../src/cloud.js';

/**
 * DynamoDB through the edge, backed by AWS's DynamoDB Local. The cloud runs
 * in a non-default account and region to prove every ARN is rewritten.
 */
const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
let cloud: LocalCloud;
let ddb: DynamoDBClient;
let streams: DynamoDBStreamsClient;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, accountId: ACCOUNT, region: REGION });
  const config = {
    endpoint: cloud.endpoint,
    region: REGION,
    credentials: { accessKeyId: 'any', secretAccessKey: 'any' },
  };
  ddb = new DynamoDBClient(config);
  streams = new DynamoDBStreamsClient(config);
});

afterAll(async () => {
  ddb?.destroy();
  streams?.destroy();
  await cloud?.stop();
});

async function table(name: string): Promise<{ tableArn: string; streamArn: string }> {
  const r = await ddb.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  return {
    tableArn: r.TableDescription!.TableArn!,
    streamArn: r.TableDescription!.LatestStreamArn!,
  };
}

/** Every record of the table's (single-shard) stream so far. */
async function streamRecords(streamArn: string): Promise<_Record[]> {
  const d = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const records: _Record[] = [];
  for (const shard of d.StreamDescription!.Shards ?? []) {
    const it = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shard.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    let iterator = it.ShardIterator;
    for (let i = 0; iterator && i < 10; i++) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      records.push(...(page.Records ?? []));
      if (!page.Records?.length) break;
      iterator = page.NextShardIterator;
    }
  }
  return records;
}

describe('DynamoDB', () => {
  it('creates a table with a stream, with ARNs in the local account and region', async () => {
    const { tableArn, streamArn } = await table('orders');
    expect(tableArn).toBe(`arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders`);
    expect(streamArn).toMatch(
      new RegExp(`^arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders/stream/`),
    );
    const described = await ddb.send(new DescribeTableCommand({ TableName: 'orders' }));
    expect(described.Table!.TableArn).toBe(tableArn);
    // A table ARN works where a name does, as in AWS.
    const byArn = await ddb.send(new DescribeTableCommand({ TableName: tableArn }));
    expect(byArn.Table!.TableName).toBe('orders');
    const listed = await streams.send(new ListStreamsCommand({ TableName: 'orders' }));
    expect(listed.Streams![0]!.StreamArn).toBe(streamArn);
    expect((await ddb.send(new ListTablesCommand({}))).TableNames).toContain('orders');
  });

  it('commits TransactWriteItems, and cancels them with reasons when a condition fails', async () => {
    await table('inventory');
    await ddb.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Put: {
              TableName: 'inventory',
              Item: { pk: { S: 'sku#1' }, sk: { S: 'stock' }, n: { N: '5' } },
            },
          },
          { Put: { TableName: 'inventory', Item: { pk: { S: 'sku#1' }, sk: { S: 'outbox#1' } } } },
        ],
      }),
    );
    let caught: unknown;
    try {
      await ddb.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Update: {
                TableName: 'inventory',
                Key: { pk: { S: 'sku#1' }, sk: { S: 'stock' } },
                UpdateExpression: 'SET n = n - :q',
                ConditionExpression: 'n >= :q',
                ExpressionAttributeValues: { ':q': { N: '9' } },
              },
            },
            {
              Put: { TableName: 'inventory', Item: { pk: { S: 'sku#1' }, sk: { S: 'outbox#2' } } },
            },
          ],
        }),
      );
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(TransactionCanceledException);
    const reasons = (caught as TransactionCanceledException).CancellationReasons!.map(
      (r) => r.Code,
    );
    expect(reasons).toEqual(['ConditionalCheckFailed', 'None']);
    const outbox2 = await ddb.send(
      new GetItemCommand({
        TableName: 'inventory',
        Key: { pk: { S: 'sku#1' }, sk: { S: 'outbox#2' } },
      }),
    );
    expect(outbox2.Item).toBeUndefined(); // nothing of the cancelled transaction was written
  });

  it('records changes on the stream, readable with GetRecords', async () => {
    const { streamArn } = await table('payments');
    const key = { pk: { S: 'order#1' }, sk: { S: 'payment' } };
    await ddb.send(
      new PutItemCommand({ TableName: 'payments', Item: { ...key, status: { S: 'AUTHORIZED' } } }),
    );
    await ddb.send(
      new PutItemCommand({ TableName: 'payments', Item: { ...key, status: { S: 'REFUNDED' } } }),
    );
    const records = await streamRecords(streamArn);
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY']);
    expect(records[1]).toMatchObject({
      awsRegion: REGION,
      eventSource: 'aws:dynamodb',
      dynamodb: {
        Keys: key,
        OldImage: { ...key, status: { S: 'AUTHORIZED' } },
        NewImage: { ...key, status: { S: 'REFUNDED' } },
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
  });

  it('expires items by TTL, with a REMOVE stream record from the DynamoDB service', async () => {
    const { streamArn } = await table('sessions');
    await ddb.send(
      new UpdateTimeToLiveCommand({
        TableName: 'sessions',
        TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' },
      }),
    );
    const ttl = await ddb.send(new DescribeTimeToLiveCommand({ TableName: 'sessions' }));
    expect(ttl.TimeToLiveDescription).toEqual({
      TimeToLiveStatus: 'ENABLED',
      AttributeName: 'expiresAt',
    });

    const now = Math.floor(Date.now() / 1000);
    const expired = { pk: { S: 's#1' }, sk: { S: 'x' } };
    const alive = { pk: { S: 's#2' }, sk: { S: 'x' } };
    await ddb.send(
      new PutItemCommand({
        TableName: 'sessions',
        Item: { ...expired, expiresAt: { N: String(now - 5) } },
      }),
    );
    await ddb.send(
      new PutItemCommand({
        TableName: 'sessions',
        Item: { ...alive, expiresAt: { N: String(now + 3600) } },
      }),
    );
    let gone = false;
    for (let i = 0; i < 120 && !gone; i++) {
      const r = await ddb.send(new GetItemCommand({ TableName: 'sessions', Key: expired }));
      gone = r.Item === undefined;
      if (!gone) await new Promise((res) => setTimeout(res, 500));
    }
    expect(gone).toBe(true);
    expect(
      (await ddb.send(new GetItemCommand({ TableName: 'sessions', Key: alive }))).Item,
    ).toBeDefined();

    const removal = (await streamRecords(streamArn)).find((r) => r.eventName === 'REMOVE');
    expect(removal).toMatchObject({
      eventName: 'REMOVE',
      userIdentity: { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' },
      dynamodb: { Keys: expired },
    });
  }, 90_000);

  it('answers DynamoDB errors from DynamoDB Local in the JSON protocol', async () => {
    await expect(ddb.send(new DescribeTableCommand({ TableName: 'nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it("meters request units by AWS's rules, out of sight of callers that did not ask", async () => {
    await table('metered');
    cloud.capacity.reset();
    cloud.capacity.start();
    try {
      const put = await ddb.send(
        new PutItemCommand({
          TableName: 'metered',
          Item: { pk: { S: 'a' }, sk: { S: '1' }, v: { S: 'x'.repeat(1500) } },
        }),
      );
      expect(put.ConsumedCapacity).toBeUndefined();
      await ddb.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'metered', Item: { pk: { S: 'b' }, sk: { S: '1' } } } },
          ],
        }),
      );
      const got = await ddb.send(
        new GetItemCommand({
          TableName: 'metered',
          Key: { pk: { S: 'a' }, sk: { S: '1' } },
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      expect(got.ConsumedCapacity?.CapacityUnits).toBe(0.5);
      await ddb.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'metered', Item: { pk: { S: 'c' }, sk: { S: '1' } } } },
            { Put: { TableName: 'metered', Item: { pk: { S: 'd' }, sk: { S: '1' } } } },
            {
              Update: {
                TableName: 'metered',
                Key: { pk: { S: 'a' }, sk: { S: '1' } },
                UpdateExpression: 'SET n = :n',
                ExpressionAttributeValues: { ':n': { N: '1' } },
              },
            },
          ],
        }),
      );
      // 1.5 KB: 2 write units; a transactional 1 KB put: 2; a transaction of two small puts
      // and an update of the 1.5 KB item: 2 + 2 + 4; an eventually consistent read: 0.5.
      expect(cloud.capacity.totals()['metered']).toEqual({ read: 0.5, write: 12 });
    } finally {
      cloud.capacity.stop();
    }
  });

  it('counts DynamoDB and Streams calls on the Recorder', () => {
    const calls = cloud.context.recorder.metrics().calls;
    expect(calls['DynamoDB']?.['CreateTable']).toBeGreaterThanOrEqual(4);
    expect(calls['DynamoDBStreams']?.['GetRecords']).toBeGreaterThanOrEqual(1);
  });
});
