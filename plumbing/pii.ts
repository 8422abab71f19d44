/**
 * Field-level envelope encryption of personal data (docs/adr/0014-data-protection.md).
 * A field is sealed with AES-256-GCM under a data key from KMS GenerateDataKey
 * (encryption context `{ field }`, so only that field's readers may unwrap it),
 * with the field and the order id as additional data, so a ciphertext moved to
 * another order or field fails to open. Data keys are cached on both sides for
 * a few minutes, which takes KMS off the path of almost every order.
 *
 *   pii:v1:<encrypted data key>:<iv>:<tag>:<ciphertext>   (base64url parts)
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { PII_CIPHERTEXT_PATTERN } from '#events/common.js';

/**
 * The sealed fields, each its own KMS encryption context (infra/constructs/pii.ts): the personal
 * ones, and an export's callback secret (sealed per export: the id is the additional data).
 */
export type PiiField = 'paymentToken' | 'shippingAddress' | 'exportCallbackSecret';

export interface DataKey {
  readonly plaintext: Uint8Array;
  readonly encrypted: Uint8Array;
}
/** KMS GenerateDataKey (AES_256) under the PII key with context `{ field }`. */
export type GenerateDataKey = (field: PiiField) => Promise<DataKey>;
/** KMS Decrypt of an encrypted data key with context `{ field }`. */
export type DecryptDataKey = (field: PiiField, encrypted: Uint8Array) => Promise<Uint8Array>;

/** Seals `value` of `field` for the order `orderId`; the result is a pii:v1 string. */
export type EncryptPii = (field: PiiField, value: string, orderId: string) => Promise<string>;
/** Opens a pii:v1 string sealed for `field` and `orderId`; throws if either differs. */
export type DecryptPii = (field: PiiField, ciphertext: string, orderId: string) => Promise<string>;

export interface CacheOptions {
  /** How long a data key is reused (encrypting) or kept (decrypting). @default 5 minutes */
  readonly maxAgeMs?: number;
  /** Encrypting: fields sealed under one data key before a new one is asked for. @default 10_000 */
  readonly maxUses?: number;
  /** Decrypting: plaintext data keys kept, least recently used dropped first. @default 100 */
  readonly maxEntries?: number;
  readonly now?: () => number;
}

const FIVE_MINUTES = 5 * 60_000;

export class PiiDecryptionError extends Error {
  constructor(field: PiiField, orderId: string, why: string) {
    super(`Cannot decrypt ${field} of order ${orderId}: ${why}`);
    this.name = 'PiiDecryptionError';
  }
}

export function piiEncrypter(generate: GenerateDataKey, options: CacheOptions = {}): EncryptPii {
  const maxAge = options.maxAgeMs ?? FIVE_MINUTES;
  const maxUses = options.maxUses ?? 10_000;
  const now = options.now ?? Date.now;
  const current = new Map<PiiField, { key: Promise<DataKey>; since: number; uses: number }>();
  return async (field, value, orderId) => {
    let entry = current.get(field);
    if (!entry || now() - entry.since >= maxAge || entry.uses >= maxUses) {
      entry = { key: generate(field), since: now(), uses: 0 };
      current.set(field, entry);
      const mine = entry;
      // A failed request is not cached: the next field asks again.
      mine.key.catch(() => current.get(field) === mine && current.delete(field));
    }
    entry.uses += 1;
    const key = await entry.key;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key.plaintext, iv);
    cipher.setAAD(additionalData(field, orderId));
    const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return ['pii', 'v1', b64(key.encrypted), b64(iv), b64(cipher.getAuthTag()), b64(body)].join(
      ':',
    );
  };
}

export function piiDecrypter(decrypt: DecryptDataKey, options: CacheOptions = {}): DecryptPii {
  const maxAge = options.maxAgeMs ?? FIVE_MINUTES;
  const maxEntries = options.maxEntries ?? 100;
  const now = options.now ?? Date.now;
  // Insertion order is recency order: a hit is re-inserted, the first entry is the oldest.
  const keys = new Map<string, { key: Promise<Uint8Array>; since: number }>();
  const dataKey = (field: PiiField, encrypted: string): Promise<Uint8Array> => {
    const id = `${field}:${encrypted}`;
    const hit = keys.get(id);
    keys.delete(id);
    if (hit && now() - hit.since < maxAge) {
      keys.set(id, hit);
      return hit.key;
    }
    const entry = { key: decrypt(field, Buffer.from(encrypted, 'base64url')), since: now() };
    keys.set(id, entry);
    entry.key.catch(() => keys.get(id) === entry && keys.delete(id));
    while (keys.size > maxEntries) keys.delete(keys.keys().next().value!);
    return entry.key;
  };
  return async (field, ciphertext, orderId) => {
    if (!PII_CIPHERTEXT_PATTERN.test(ciphertext))
      throw new PiiDecryptionError(
        field,
        orderId,
        `expected pii:v1:<key>:<iv>:<tag>:<ciphertext>, received ${ciphertext.length} characters starting ${JSON.stringify(ciphertext.slice(0, 7))}`,
      );
    const [, , encrypted, iv, tag, body] = ciphertext.split(':') as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const key = await dataKey(field, encrypted);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(additionalData(field, orderId));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const clear = Buffer.concat([
        decipher.update(Buffer.from(body, 'base64url')),
        decipher.final(),
      ]);
      return clear.toString('utf8');
    } catch {
      throw new PiiDecryptionError(
        field,
        orderId,
        'the authentication tag does not match (sealed for another order or field, or altered)',
      );
    }
  };
}

function additionalData(field: PiiField, orderId: string): Buffer {
  return Buffer.from(JSON.stringify(['pii:v1', field, orderId]), 'utf8');
}

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}
