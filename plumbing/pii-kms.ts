import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { once } from './lazy.js';
import type { DecryptDataKey, GenerateDataKey, PiiField } from './pii.js';

/** One KMS client per execution environment, endpoint from AWS_ENDPOINT_URL as every client. */
export const kmsClient = once(() => new KMSClient({}));

/** The PII key's context for a field: what the IAM grants are conditioned on. */
const contextOf = (field: PiiField) => ({ field });

/** GenerateDataKey port on KMS under the PII key (PII_KEY_ARN). */
export function kmsGenerateDataKey(client: KMSClient, keyArn: string): GenerateDataKey {
  return async (field) => {
    const out = await client.send(
      new GenerateDataKeyCommand({
        KeyId: keyArn,
        KeySpec: 'AES_256',
        EncryptionContext: contextOf(field),
      }),
    );
    if (!out.Plaintext || !out.CiphertextBlob)
      throw new Error(`KMS GenerateDataKey on ${keyArn} returned no data key for ${field}.`);
    return { plaintext: out.Plaintext, encrypted: out.CiphertextBlob };
  };
}

/** Decrypt port on KMS: the key is named so a blob under another key is refused. */
export function kmsDecryptDataKey(client: KMSClient, keyArn: string): DecryptDataKey {
  return async (field, encrypted) => {
    const out = await client.send(
      new DecryptCommand({
        KeyId: keyArn,
        CiphertextBlob: encrypted,
        EncryptionContext: contextOf(field),
      }),
    );
    if (!out.Plaintext)
      throw new Error(`KMS Decrypt on ${keyArn} returned no plaintext for ${field}.`);
    return out.Plaintext;
  };
}
