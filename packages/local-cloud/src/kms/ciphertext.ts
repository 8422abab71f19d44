/**
 * The local KMS engine: AES-256-GCM under a key's master key, with the
 * encryption context as additional authenticated data. A blob carries the key
 * id so Decrypt finds the key without being told, as KMS's blobs do.
 *
 *   blob = 0x01 | len(keyId) | keyId | iv (12) | tag (16) | ciphertext
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 1;

/** The context bound as AAD: keys sorted, so the order a caller gives them in does not matter. */
export function contextAad(context: Readonly<Record<string, string>> | undefined): Buffer {
  const entries = Object.entries(context ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify(entries), 'utf8');
}

export function seal(keyId: string, master: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', master, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const id = Buffer.from(keyId, 'utf8');
  return Buffer.concat([Buffer.from([VERSION, id.length]), id, iv, cipher.getAuthTag(), body]);
}

/** The key id a blob names, or undefined if it is not one of ours. */
export function keyIdOf(blob: Buffer): string | undefined {
  if (blob.length < 2 || blob[0] !== VERSION) return undefined;
  const len = blob[1]!;
  if (blob.length < 2 + len + 28) return undefined;
  return blob.subarray(2, 2 + len).toString('utf8');
}

/** The plaintext, or undefined if the blob, key or context do not match. */
export function open(blob: Buffer, master: Buffer, aad: Buffer): Buffer | undefined {
  const len = blob[1]!;
  const at = 2 + len;
  const iv = blob.subarray(at, at + 12);
  const tag = blob.subarray(at + 12, at + 28);
  try {
    const decipher = createDecipheriv('aes-256-gcm', master, iv);
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(blob.subarray(at + 28)), decipher.final()]);
  } catch {
    return undefined;
  }
}
