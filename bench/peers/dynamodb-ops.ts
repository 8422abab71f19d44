/** The DynamoDB calls compared across engines, on one small table each engine holds alike. */
import { randomUUID } from 'node:crypto';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

export const OPS = ['PutItem', 'GetItem', 'Query', 'UpdateItem', 'TransactWriteItems'] as const;
export type Op = (typeof OPS)[number];

const TABLE = 'bench-peers';
/** Items GetItem and UpdateItem pick from, and the items one Query returns. */
const ITEMS = 100;
const QUERY_ITEMS = 20;
const payload = 'x'.repeat(200);

const item = (pk: string, sk: string) => ({
  pk: { S: pk },
  sk: { S: sk },
  n: { N: '0' },
  payload: { S: payload },
});
const pick = () => `ITEM#${Math.floor(Math.random() * ITEMS)}`;

/** Creates the table (pk + sk, as a service table with a sort key) and the items read back. */
export async function createTable(client: DynamoDBClient): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: TABLE,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  const seed = [
    ...Array.from({ length: ITEMS }, (_, i) => item(`ITEM#${i}`, 'A')),
    ...Array.from({ length: QUERY_ITEMS }, (_, i) =>
      item('QUERY', `S#${String(i).padStart(3, '0')}`),
    ),
  ];
  for (let i = 0; i < seed.length; i += 25) {
    const out = await client.send(
      new BatchWriteItemCommand({
        RequestItems: { [TABLE]: seed.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
      }),
    );
    if (Object.keys(out.UnprocessedItems ?? {}).length > 0)
      throw new Error('BatchWriteItem left items unprocessed while seeding');
  }
}

/** One call of each op against `client`; each checks its answer so a wrong one cannot pass. */
export function operations(client: DynamoDBClient): Record<Op, () => Promise<void>> {
  return {
    PutItem: async () => {
      await client.send(new PutItemCommand({ TableName: TABLE, Item: item(randomUUID(), 'A') }));
    },
    GetItem: async () => {
      const out = await client.send(
        new GetItemCommand({ TableName: TABLE, Key: { pk: { S: pick() }, sk: { S: 'A' } } }),
      );
      if (!out.Item) throw new Error('GetItem found no seeded item');
    },
    Query: async () => {
      const out = await client.send(
        new QueryCommand({
          TableName: TABLE,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :s)',
          ExpressionAttributeValues: { ':pk': { S: 'QUERY' }, ':s': { S: 'S#' } },
        }),
      );
      if (out.Count !== QUERY_ITEMS) throw new Error(`Query returned ${out.Count} items`);
    },
    // The optimistic-concurrency shape: increment only an item that exists.
    UpdateItem: async () => {
      await client.send(
        new UpdateItemCommand({
          TableName: TABLE,
          Key: { pk: { S: pick() }, sk: { S: 'A' } },
          UpdateExpression: 'SET n = n + :one',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':one': { N: '1' } },
        }),
      );
    },
    // Two conditioned Puts, as a consumer's marker + state write.
    TransactWriteItems: async () => {
      const pk = randomUUID();
      await client.send(
        new TransactWriteItemsCommand({
          TransactItems: ['A', 'B'].map((sk) => ({
            Put: {
              TableName: TABLE,
              Item: item(pk, sk),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          })),
        }),
      );
    },
  };
}
