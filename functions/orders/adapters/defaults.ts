import type { Context } from 'aws-lambda';
import { documentClient, requireEnv } from '../../../plumbing/aws.js';
import { dynamoOrderStore } from './dynamo-order-store.js';

let store: ReturnType<typeof dynamoOrderStore> | undefined;

/** The production ports, built on first use from TABLE_NAME (set by the CDK stack). */
export function defaultStore(): ReturnType<typeof dynamoOrderStore> {
  return (store ??= dynamoOrderStore(documentClient(), requireEnv('TABLE_NAME')));
}

/**
 * Builds the real handler on its first invocation, so that importing a handler
 * file (as unit tests do, for its make… factory) needs no environment.
 */
export function lazily<E, R>(
  build: () => (event: E, context: Context) => Promise<R>,
): (event: E, context: Context) => Promise<R> {
  let built: ((event: E, context: Context) => Promise<R>) | undefined;
  return (event, context) => (built ??= build())(event, context);
}
