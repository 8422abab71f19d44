import { documentClient, requireEnv } from '#plumbing/aws.js';
import { once } from '#plumbing/lazy.js';
import { piiDecrypter, type PiiField } from '#plumbing/pii.js';
import { kmsClient, kmsDecryptDataKey } from '#plumbing/pii-kms.js';
import { loadShipmentFrom, saveShipmentTo } from './dynamo-shipments.js';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { webhookSecretsFrom } from './secret.js';

/*
 * Only the webhook is given CARRIER_WEBHOOK_SECRET_ARN, so the secret port
 * reads it on its first call, not when the deps are built.
 */
const secrets = once(() =>
  webhookSecretsFrom(new SecretsManagerClient({}), requireEnv('CARRIER_WEBHOOK_SECRET_ARN')),
);

/** Only GET /shipments/{id} has PII_KEY_ARN and the grant to open addresses; data keys cached. */
const decryptPii = once(() =>
  piiDecrypter(kmsDecryptDataKey(kmsClient(), requireEnv('PII_KEY_ARN'))),
);

/** Every port: the service table (TABLE_NAME), the webhook secret and the PII key, built once on first use. */
export const defaultDeps = once(() => {
  const client = documentClient();
  const table = requireEnv('TABLE_NAME');
  return {
    load: loadShipmentFrom(client, table),
    save: saveShipmentTo(client, table),
    secrets: async () => secrets()(),
    decryptPii: async (field: PiiField, ciphertext: string, orderId: string) =>
      decryptPii()(field, ciphertext, orderId),
  };
});
