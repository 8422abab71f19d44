import { documentClient, requireEnv } from '#plumbing/aws.js';
import { once } from '#plumbing/lazy.js';
import { piiEncrypter, type EncryptPii } from '#plumbing/pii.js';
import { kmsClient, kmsGenerateDataKey } from '#plumbing/pii-kms.js';
import { newOrderId } from '../http/requests.js';
import { dynamoOrderStore } from './dynamo-order-store.js';

/**
 * Every port: the store on the service table (TABLE_NAME, set by the CDK stack), the clock, ids,
 * and the sealing of personal fields under the PII key (PII_KEY_ARN, on place-order only).
 */
export const defaultDeps = once(() => ({
  ...dynamoOrderStore(documentClient(), requireEnv('TABLE_NAME')),
  now: () => new Date(),
  newOrderId,
  encryptPii: ((field, value, orderId) => encryptPii()(field, value, orderId)) as EncryptPii,
}));

/** Built on the first order placed: only place-order has PII_KEY_ARN and the grant. */
const encryptPii = once(() =>
  piiEncrypter(kmsGenerateDataKey(kmsClient(), requireEnv('PII_KEY_ARN'))),
);
