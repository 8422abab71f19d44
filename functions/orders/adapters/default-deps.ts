import { documentClient, requireEnv } from '#plumbing/aws.js';
import { once } from '#plumbing/lazy.js';
import { newOrderId } from '../http/requests.js';
import { dynamoOrderStore } from './dynamo-order-store.js';

/** Every port: the store on the service table (TABLE_NAME, set by the CDK stack), the clock, ids. */
export const defaultDeps = once(() => ({
  ...dynamoOrderStore(documentClient(), requireEnv('TABLE_NAME')),
  now: () => new Date(),
  newOrderId,
}));
