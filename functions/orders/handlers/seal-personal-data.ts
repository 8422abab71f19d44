import type { EncryptPii } from '#plumbing/pii.js';
import type { PlaceOrderBody } from '../http/requests.js';

/**
 * The order's data with its personal fields sealed for their readers
 * (docs/adr/0014-data-protection.md): the token for payments, the address for
 * shipping, each bound to this order. Orders keeps and emits only these.
 */
export async function sealPersonalData(
  encrypt: EncryptPii,
  orderId: string,
  body: Pick<PlaceOrderBody, 'lines' | 'paymentToken' | 'shippingAddress'>,
) {
  const [paymentTokenCiphertext, shippingAddressCiphertext] = await Promise.all([
    encrypt('paymentToken', body.paymentToken, orderId),
    encrypt('shippingAddress', JSON.stringify(body.shippingAddress), orderId),
  ]);
  return { lines: body.lines, paymentTokenCiphertext, shippingAddressCiphertext };
}
