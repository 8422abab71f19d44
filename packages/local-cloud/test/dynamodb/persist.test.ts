import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalCloud } from '../../src/cloud.js';

const dir = mkdtempSync(join(tmpdir(), 'local-cloud-persist-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function client(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
}

describe('DynamoDB with a persist directory', () => {
  it('keeps tables and items across restarts, and stops the JVM on stop()', async () => {
    const first = await startLocalCloud({ port: 0, persistDir: dir });
    const ddbEndpoint = first.dynamodbEndpoint!;
    const c1 = client(first.endpoint);
    await c1.send(
      new CreateTableCommand({
        TableName: 'kept',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await c1.send(
      new PutItemCommand({ TableName: 'kept', Item: { pk: { S: 'a' }, v: { N: '1' } } }),
    );
    c1.destroy();
    await first.stop();
    expect(existsSync(join(dir, 'dynamodb', 'shared-local-instance.db'))).toBe(true);
    await expect(fetch(ddbEndpoint)).rejects.toThrow(); // the JVM is gone

    const second = await startLocalCloud({ port: 0, persistDir: dir });
    const c2 = client(second.endpoint);
    try {
      const got = await c2.send(new GetItemCommand({ TableName: 'kept', Key: { pk: { S: 'a' } } }));
      expect(got.Item).toEqual({ pk: { S: 'a' }, v: { N: '1' } });
    } finally {
      c2.destroy();
      await second.stop();
    }
  }, 120_000);
});
