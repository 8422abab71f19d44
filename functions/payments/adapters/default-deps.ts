import { documentClient, requireEnv } from '#plumbing/aws.js';
import { once } from '#plumbing/lazy.js';
import { piiDecrypter, type DecryptPii } from '#plumbing/pii.js';
import { kmsClient, kmsDecryptDataKey } from '#plumbing/pii-kms.js';
import type { Charge, LoadPayment, Refund, SavePayment } from '../ports.js';
import { loadPaymentWith, savePaymentWith } from './dynamo.js';
import { providerClientFromEnv } from './provider.js';

export interface DefaultDeps {
  load: LoadPayment;
  save: SavePayment;
  charge: Charge;
  refund: Refund;
  decryptPii: DecryptPii;
}

/*
 * One provider client per execution environment, so its circuit breaker
 * remembers failures across invocations (a breaker made per call would never
 * open). Built on the first charge or refund: the read-only HTTP route has no
 * PAYMENT_PROVIDER_URL and never needs one.
 */
const provider = once(() => providerClientFromEnv());

/** Opens payment tokens (PII_KEY_ARN; the grant allows the paymentToken field only), keys cached. */
const decryptPii = once(() =>
  piiDecrypter(kmsDecryptDataKey(kmsClient(), requireEnv('PII_KEY_ARN'))),
);

/** Every port: the service table (TABLE_NAME), the provider (PAYMENT_PROVIDER_URL) and the PII key (PII_KEY_ARN), built once on first use. */
export const defaultDeps = once((): DefaultDeps => {
  const table = requireEnv('TABLE_NAME');
  return {
    load: loadPaymentWith(documentClient(), table),
    save: savePaymentWith(documentClient(), table),
    charge: async (request) => provider().charge(request),
    refund: async (request) => provider().refund(request),
    decryptPii: async (field, ciphertext, orderId) => decryptPii()(field, ciphertext, orderId),
  };
});
