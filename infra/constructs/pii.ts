import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';

/**
 * The personal fields encrypted under the platform's PII key. Each ciphertext
 * carries its field as the KMS encryption context `{ field: <PiiField> }`, so a
 * grant to decrypt one field cannot decrypt the other although the key is one.
 */
export type PiiField = 'paymentToken' | 'shippingAddress';
export const PII_FIELDS: readonly PiiField[] = ['paymentToken', 'shippingAddress'];
/** The encryption context key every PII ciphertext is bound to. */
export const PII_CONTEXT_KEY = 'field';

/** Lets `grantee` encrypt PII fields (data keys for envelope encryption, or Encrypt itself). */
export function grantEncryptPii(key: IKey, grantee: IGrantable): Grant {
  return Grant.addToPrincipal({
    grantee,
    actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
    resourceArns: [key.keyArn],
    conditions: { StringEquals: { [`kms:EncryptionContext:${PII_CONTEXT_KEY}`]: [...PII_FIELDS] } },
  });
}

/** Lets `grantee` decrypt one PII field, and only that one. */
export function grantDecryptPii(key: IKey, grantee: IGrantable, field: PiiField): Grant {
  return Grant.addToPrincipal({
    grantee,
    actions: ['kms:Decrypt'],
    resourceArns: [key.keyArn],
    conditions: { StringEquals: { [`kms:EncryptionContext:${PII_CONTEXT_KEY}`]: field } },
  });
}
