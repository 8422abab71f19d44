// The yardstick of the bundles benchmark: a function holding only a DynamoDB client and one GetItem.
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

const client = new DynamoDBClient({});

export const handler = async (event: { id: string }) =>
  client.send(new GetItemCommand({ TableName: 'table', Key: { id: { S: event.id } } }));
