import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { commit } from '#plumbing/outbox.js';
import type { Shipment } from '../domain/state.js';
import type { LoadShipment, SaveShipment } from '../ports.js';

const key = (shipmentId: string) => `SHIPMENT#${shipmentId}`;

export function loadShipmentFrom(client: DynamoDBDocumentClient, tableName: string): LoadShipment {
  return async (shipmentId) => {
    const out = await client.send(
      new GetCommand({ TableName: tableName, Key: { pk: key(shipmentId) }, ConsistentRead: true }),
    );
    if (!out.Item) return undefined;
    return { state: out.Item['state'] as Shipment, version: out.Item['version'] as number };
  };
}

export function saveShipmentTo(client: DynamoDBDocumentClient, tableName: string): SaveShipment {
  return async ({ shipmentId, next, expectedVersion, events, handledEventId }) =>
    commit(client, tableName, {
      handledEventId,
      events,
      writes: [
        {
          Put: {
            TableName: tableName,
            Item: {
              pk: key(shipmentId),
              kind: 'shipment',
              state: next,
              status: next.status,
              version: expectedVersion + 1,
            },
            ConditionExpression:
              expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
            ExpressionAttributeValues:
              expectedVersion === 0 ? undefined : { ':expected': expectedVersion },
          },
        },
      ],
    });
}
