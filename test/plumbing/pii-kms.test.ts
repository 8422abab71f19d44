import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { kmsDecryptDataKey, kmsGenerateDataKey } from '#plumbing/pii-kms.js';

const KEY = 'arn:aws:kms:us-east-1:000000000000:key/pii';

describe('KMS data key adapter', () => {
  it('asks for an AES-256 data key under the PII key with the field as encryption context', async () => {
    const kms = mockClient(KMSClient);
    kms.on(GenerateDataKeyCommand).resolves({
      Plaintext: new Uint8Array(32).fill(1),
      CiphertextBlob: new Uint8Array([9, 9, 9]),
    });
    const key = await kmsGenerateDataKey(new KMSClient({}), KEY)('shippingAddress');
    expect(key.encrypted).toEqual(new Uint8Array([9, 9, 9]));
    expect(kms.commandCalls(GenerateDataKeyCommand)[0]!.args[0].input).toEqual({
      KeyId: KEY,
      KeySpec: 'AES_256',
      EncryptionContext: { field: 'shippingAddress' },
    });
    kms.restore();
  });

  it('decrypts with the key named and the field as context, and says so when KMS returns nothing', async () => {
    const kms = mockClient(KMSClient);
    kms
      .on(DecryptCommand)
      .resolvesOnce({ Plaintext: new Uint8Array([7]) })
      .resolvesOnce({});
    const decrypt = kmsDecryptDataKey(new KMSClient({}), KEY);
    expect(await decrypt('paymentToken', new Uint8Array([1, 2]))).toEqual(new Uint8Array([7]));
    expect(kms.commandCalls(DecryptCommand)[0]!.args[0].input).toEqual({
      KeyId: KEY,
      CiphertextBlob: new Uint8Array([1, 2]),
      EncryptionContext: { field: 'paymentToken' },
    });
    await expect(decrypt('paymentToken', new Uint8Array([1]))).rejects.toThrow(
      `KMS Decrypt on ${KEY} returned no plaintext for paymentToken.`,
    );
    kms.restore();
  });
});
