import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import type { GetWebhookSecret } from '../ports.js';

/** Reads the secret from Secrets Manager, cached for 5 minutes so a rotation takes effect soon. */
export function webhookSecretFrom(secretArn: string): GetWebhookSecret {
  return async () => {
    const value = await getSecret(secretArn, { maxAge: 300 });
    if (typeof value !== 'string' || value.length < 16) {
      throw new Error(
        `Secret ${secretArn} must hold the carrier webhook key as a string of at least 16 characters.`,
      );
    }
    return value;
  };
}
