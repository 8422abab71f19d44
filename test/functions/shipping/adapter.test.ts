import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  loadShipmentFrom,
  saveShipmentTo,
} from '../../../functions/shipping/adapters/dynamo-shipments.js';
import { evolve } from '../../../functions/shipping/domain/evolve.js';
import { initialState } from '../../../functions/shipping/domain/state.js';
import { ConcurrentUpdateError } from '#plumbing/outbox.js';
import { scheduled } from './fixtures.js';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddb = mockClient(doc);
const table = 'shipping-table';

describe('DynamoDB shipment store', () => {
  beforeEach(() => ddb.reset());

  it('loads with a consistent read by SHIPMENT#<id>', async () => {
    ddb.on(GetCommand).resolves({ Item: { state: { status: 'VOID' }, version: 3 } });
    expect(await loadShipmentFrom(doc, table)('shp_1')).toEqual({
      state: { status: 'VOID' },
      version: 3,
    });
    expect(ddb.commandCalls(GetCommand)[0]!.args[0].input).toEqual({
      TableName: table,
      Key: { pk: 'SHIPMENT#shp_1' },
      ConsistentRead: true,
    });
  });

  it('writes marker, state and outbox row in one transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const event = scheduled();
    const result = await saveShipmentTo(
      doc,
      table,
    )({
      shipmentId: 'shp_ord_1',
      next: evolve(initialState, event),
      expectedVersion: 0,
      events: [event],
      handledEventId: 'evt-1',
    });
    expect(result).toBe('committed');
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items.map((i) => i.Put?.Item?.['pk'])).toEqual([
      'PROCESSED#evt-1',
      'SHIPMENT#shp_ord_1',
      `OUTBOX#${event.detail.metadata.eventId}`,
    ]);
    expect(items[1]!.Put).toMatchObject({
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: { kind: 'shipment', status: 'SCHEDULED', version: 1 },
    });
    expect(items[2]!.Put!.Item).toMatchObject({
      kind: 'outbox',
      source: 'shop.shipping',
      detailType: 'ShipmentScheduled',
      detail: JSON.stringify(event.detail),
    });
  });

  it('conditions an update on the version it loaded', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await saveShipmentTo(
      doc,
      table,
    )({
      shipmentId: 's',
      next: { status: 'VOID', shipmentId: 's', orderId: 'o' },
      expectedVersion: 4,
      events: [],
    });
    const put = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![0]!.Put!;
    expect(put).toMatchObject({
      ConditionExpression: 'version = :expected',
      ExpressionAttributeValues: { ':expected': 4 },
      Item: { version: 5 },
    });
  });

  it('maps a failed marker condition to duplicate and a failed version condition to a conflict', async () => {
    const cancelled = (codes: string[]) =>
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: codes.map((Code) => ({ Code })),
      });
    const save = saveShipmentTo(doc, table);
    const change = {
      shipmentId: 's',
      next: { status: 'VOID' as const, shipmentId: 's', orderId: 'o' },
      expectedVersion: 1,
      events: [],
      handledEventId: 'evt-1',
    };
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(['ConditionalCheckFailed', 'None']))
      .rejectsOnce(cancelled(['None', 'ConditionalCheckFailed']));
    expect(await save(change)).toBe('duplicate');
    await expect(save(change)).rejects.toBeInstanceOf(ConcurrentUpdateError);
  });
});
