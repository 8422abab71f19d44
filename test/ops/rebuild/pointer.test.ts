import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { estimateCost } from '../../../ops/rebuild/cost.js';
import {
  abandonBuilding,
  flipActive,
  readPointer,
  startBuilding,
} from '../../../ops/rebuild/pointer.js';
import { CliError } from '../../../ops/shared/cli.js';

const TABLE = 'views';
const ddb = mockClient(DynamoDBDocumentClient);
const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
beforeEach(() => ddb.reset());

describe('the projection pointer', () => {
  it('reads version 1 active when the table has no pointer yet', async () => {
    ddb.on(GetCommand).resolves({});
    expect(await readPointer(db, TABLE)).toEqual({ active: 1 });
  });

  it('names the building version only if the pointer is still what was read', async () => {
    ddb.on(UpdateCommand).resolves({});
    await startBuilding(db, TABLE, { active: 1 }, 2);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { pk: 'PROJECTION' },
      ConditionExpression:
        '(attribute_not_exists(active) OR active = :active) AND attribute_not_exists(building)',
      ExpressionAttributeValues: expect.objectContaining({ ':active': 1, ':next': 2 }),
    });
    await startBuilding(db, TABLE, { active: 2, building: 3 }, 4);
    expect(ddb.commandCalls(UpdateCommand)[1]!.args[0].input).toMatchObject({
      ConditionExpression: expect.stringContaining('building = :was'),
      ExpressionAttributeValues: expect.objectContaining({ ':was': 3, ':next': 4 }),
    });
  });

  it('makes the built version active and removes building in one conditional write', async () => {
    ddb.on(UpdateCommand).resolves({});
    await flipActive(db, TABLE, 1, 2);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      UpdateExpression: 'SET active = :to REMOVE building',
      ConditionExpression: '(attribute_not_exists(active) OR active = :from) AND building = :to',
      ExpressionAttributeValues: { ':from': 1, ':to': 2 },
    });
  });

  it('refuses, saying what to do, when another run moved the pointer', async () => {
    ddb
      .on(UpdateCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'failed', $metadata: {} }));
    await expect(flipActive(db, TABLE, 1, 2)).rejects.toThrow(CliError);
    await expect(abandonBuilding(db, TABLE, 2)).rejects.toThrow(/another rebuild is running/);
  });
});

describe('the cost estimate', () => {
  it('scales with the events replayed and the old items deleted', () => {
    const none = estimateCost(0, 0);
    const million = estimateCost(1e6, 0);
    expect(none.usd).toBe(0);
    expect(million.usd).toBeCloseTo(5.6, 1);
    expect(estimateCost(2e6, 0).usd).toBeCloseTo(2 * million.usd, 1);
    expect(estimateCost(1e6, 1e6).usd).toBeGreaterThan(million.usd);
    expect(million.lines.find((l) => l.what.startsWith('EventBridge'))?.usd).toBeCloseTo(1, 6);
  });
});
