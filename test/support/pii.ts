import type { DecryptPii, EncryptPii, PiiField } from '#plumbing/pii.js';

/**
 * A reversible stand-in for plumbing/pii.ts in handler tests: pii:v1 strings of
 * the real shape whose last part is base64url of [field, orderId, value], so a
 * test can check what was sealed, and a value opened for another order or field
 * fails as the real one does. Not encryption: the value is only encoded.
 */
const b64 = (s: string) => Buffer.from(s).toString('base64url');

export function fakeSeal(field: PiiField, value: string, orderId: string): string {
  return `pii:v1:${b64(`fake-data-key-${field}`)}:${'A'.repeat(16)}:${'B'.repeat(22)}:${b64(JSON.stringify([field, orderId, value]))}`;
}

export const fakeEncryptPii: EncryptPii = async (field, value, orderId) =>
  fakeSeal(field, value, orderId);

export const fakeDecryptPii: DecryptPii = async (field, ciphertext, orderId) => {
  const [f, o, value] = JSON.parse(
    Buffer.from(ciphertext.split(':').at(-1)!, 'base64url').toString(),
  ) as [string, string, string];
  if (f !== field || o !== orderId)
    throw new Error(`Cannot decrypt ${field} of order ${orderId}: sealed for ${f} of ${o}`);
  return value;
};

/** Sealed values for tests where what is inside does not matter (a pass-through). */
export const SEALED_TOKEN = fakeSeal('paymentToken', 'tok_approve', 'ord_fixture');
export const SEALED_ADDRESS = fakeSeal('shippingAddress', '{"city":"Springfield"}', 'ord_fixture');
