import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { piiCiphertext } from '#events/common.js';
import {
  piiDecrypter,
  piiEncrypter,
  PiiDecryptionError,
  type DecryptDataKey,
  type GenerateDataKey,
  type PiiField,
} from '#plumbing/pii.js';

/** A KMS stand-in: wraps data keys under a master key with the field as AAD, and counts calls. */
function fakeKms() {
  const master = randomBytes(32);
  const calls = { generate: 0, decrypt: 0 };
  const wrap = (field: PiiField, key: Buffer) => {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', master, iv).setAAD(Buffer.from(field));
    const body = Buffer.concat([c.update(key), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), body]);
  };
  const generate: GenerateDataKey = async (field) => {
    calls.generate += 1;
    const plaintext = randomBytes(32);
    return { plaintext, encrypted: wrap(field, plaintext) };
  };
  const decrypt: DecryptDataKey = async (field, blob) => {
    calls.decrypt += 1;
    const b = Buffer.from(blob);
    const d = createDecipheriv('aes-256-gcm', master, b.subarray(0, 12)).setAAD(Buffer.from(field));
    d.setAuthTag(b.subarray(12, 28));
    return Buffer.concat([d.update(b.subarray(28)), d.final()]);
  };
  return { generate, decrypt, calls };
}

describe('field-level envelope encryption', () => {
  it('round-trips a value; the ciphertext matches the event schema and holds nothing of the clear value', async () => {
    const kms = fakeKms();
    const encrypt = piiEncrypter(kms.generate);
    const decrypt = piiDecrypter(kms.decrypt);
    const sealed = await encrypt('paymentToken', 'tok_secret_4242', 'ord_1');
    expect(piiCiphertext.safeParse(sealed).success).toBe(true);
    expect(sealed).not.toContain('tok_secret');
    expect(Buffer.from(sealed.split(':').at(-1)!, 'base64url').toString()).not.toContain('4242');
    expect(await decrypt('paymentToken', sealed, 'ord_1')).toBe('tok_secret_4242');
  });

  it('a ciphertext moved to another order, or read as another field, or altered, does not open', async () => {
    const kms = fakeKms();
    const sealed = await piiEncrypter(kms.generate)('shippingAddress', '{"city":"Oslo"}', 'ord_1');
    const decrypt = piiDecrypter(kms.decrypt);
    await expect(decrypt('shippingAddress', sealed, 'ord_2')).rejects.toThrow(
      /Cannot decrypt shippingAddress of order ord_2: the authentication tag does not match/,
    );
    await expect(decrypt('paymentToken', sealed, 'ord_1')).rejects.toThrow();
    const parts = sealed.split(':');
    parts[5] = Buffer.from('{"city":"Rome"}').toString('base64url');
    await expect(decrypt('shippingAddress', parts.join(':'), 'ord_1')).rejects.toThrow(
      PiiDecryptionError,
    );
    await expect(decrypt('shippingAddress', 'tok_approve', 'ord_1')).rejects.toThrow(
      /expected pii:v1:<key>:<iv>:<tag>:<ciphertext>, received 11 characters starting "tok_app"/,
    );
  });

  it('reuses one data key per field until it ages out or is used up; concurrent callers share one request', async () => {
    const kms = fakeKms();
    let clock = 0;
    const encrypt = piiEncrypter(kms.generate, { maxAgeMs: 1000, maxUses: 3, now: () => clock });
    await Promise.all([
      encrypt('paymentToken', 'a', 'o1'),
      encrypt('paymentToken', 'b', 'o2'),
      encrypt('shippingAddress', 'c', 'o1'),
    ]);
    expect(kms.calls.generate).toBe(2);
    await encrypt('paymentToken', 'd', 'o3');
    expect(kms.calls.generate).toBe(2);
    await encrypt('paymentToken', 'e', 'o4'); // fourth use of a 3-use key
    expect(kms.calls.generate).toBe(3);
    clock = 1000;
    await encrypt('shippingAddress', 'f', 'o5');
    expect(kms.calls.generate).toBe(4);
  });

  it('a failed GenerateDataKey is not cached', async () => {
    const kms = fakeKms();
    let fail = true;
    const encrypt = piiEncrypter(async (f) => {
      if (fail) throw new Error('ThrottlingException');
      return kms.generate(f);
    });
    await expect(encrypt('paymentToken', 'x', 'o1')).rejects.toThrow('ThrottlingException');
    fail = false;
    await expect(encrypt('paymentToken', 'x', 'o1')).resolves.toMatch(/^pii:v1:/);
  });

  it('the decrypting side caches plaintext data keys by their encrypted bytes, bounded and aging out', async () => {
    const kms = fakeKms();
    let clock = 0;
    const decrypt = piiDecrypter(kms.decrypt, { maxAgeMs: 1000, maxEntries: 2, now: () => clock });
    const sealers = [1, 2, 3].map(() => piiEncrypter(kms.generate)); // three data keys
    const sealed = await Promise.all(sealers.map((e, i) => e('paymentToken', `t${i}`, 'o')));
    expect(await decrypt('paymentToken', sealed[0]!, 'o')).toBe('t0');
    expect(await decrypt('paymentToken', sealed[0]!, 'o')).toBe('t0');
    expect(kms.calls.decrypt).toBe(1);
    await decrypt('paymentToken', sealed[1]!, 'o');
    await decrypt('paymentToken', sealed[0]!, 'o'); // hit: now the most recent
    await decrypt('paymentToken', sealed[2]!, 'o'); // evicts sealed[1], the least recent
    expect(kms.calls.decrypt).toBe(3);
    await decrypt('paymentToken', sealed[0]!, 'o');
    expect(kms.calls.decrypt).toBe(3);
    await decrypt('paymentToken', sealed[1]!, 'o');
    expect(kms.calls.decrypt).toBe(4);
    clock = 1000;
    await decrypt('paymentToken', sealed[1]!, 'o');
    expect(kms.calls.decrypt).toBe(5);
  });
});
