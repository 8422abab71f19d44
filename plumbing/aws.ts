import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { once } from './lazy.js';

/*
 * SDK clients are created once per execution environment (outside the handler),
 * and take their endpoint from AWS_ENDPOINT_URL like every SDK v3 client, which
 * is how the same bundle runs against AWS and the local cloud unchanged.
 */
export const dynamoClient = once(() => new DynamoDBClient({}));

export const documentClient = once(() =>
  DynamoDBDocumentClient.from(dynamoClient(), {
    marshallOptions: { removeUndefinedValues: true },
  }),
);

export const eventBridgeClient = once(() => new EventBridgeClient({}));

/** Reads a required environment variable, naming it when it is missing. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `Environment variable ${name} is not set; the function's CDK construct must pass it.`,
    );
  }
  return value;
}
