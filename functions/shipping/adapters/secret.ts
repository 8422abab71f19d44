import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetSecretValueCommand, ResourceNotFoundException } from '@aws-sdk/client-secrets-manager';
import type { GetWebhookSecrets } from '../ports.js';

const MAX_AGE_MS = 300_000;

/**
 * The webhook secrets accepted now: Secrets Manager's AWSCURRENT version, then AWSPREVIOUS if
 * there is one, so a rotation (put-secret-value) does not break a carrier still signing with
 * the old value. Cached for 5 minutes so a rotation takes effect soon without a read per request.
 */
export function webhookSecretsFrom(
  client: SecretsManagerClient,
  secretArn: string,
  now: () => number = Date.now,
): GetWebhookSecrets {
  let cached: { at: number; secrets: Promise<string[]> } | undefined;

  const read = async (stage: 'AWSCURRENT' | 'AWSPREVIOUS'): Promise<string | undefined> => {
    try {
      const out = await client.send(
        new GetSecretValueCommand({ SecretId: secretArn, VersionStage: stage }),
      );
      const value = out.SecretString;
      if (typeof value !== 'string' || value.length < 16) {
        throw new Error(
          `Secret ${secretArn} (${stage}) must hold the carrier webhook key as a string of at least 16 characters; received ${typeof value === 'string' ? `${value.length} characters` : 'no SecretString'}.`,
        );
      }
      return value;
    } catch (error) {
      // A secret never rotated has no AWSPREVIOUS version: normal, only the current one counts.
      if (stage === 'AWSPREVIOUS' && error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
  };

  return () => {
    if (!cached || now() - cached.at >= MAX_AGE_MS) {
      const secrets = Promise.all([read('AWSCURRENT'), read('AWSPREVIOUS')]).then((values) =>
        values.filter((v): v is string => v !== undefined),
      );
      cached = { at: now(), secrets };
      // A failed read is not cached: the next request tries again.
      secrets.catch(() => {
        if (cached?.secrets === secrets) cached = undefined;
      });
    }
    return cached.secrets;
  };
}
