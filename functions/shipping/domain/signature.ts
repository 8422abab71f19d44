import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Carrier webhook signatures, in the scheme most providers use (Stripe's):
 * header `X-Carrier-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.
 * The timestamp is signed too, so a captured request cannot be replayed later.
 */
export const SIGNATURE_HEADER = 'x-carrier-signature';
export const TOLERANCE_SECONDS = 300;

export function sign(secret: string, body: string, timestamp: number): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

export type Verification = { ok: true } | { ok: false; reason: string };

export function verify(
  secret: string,
  body: string,
  header: string | undefined,
  nowSeconds: number,
): Verification {
  if (!header) {
    return {
      ok: false,
      reason: `Missing ${SIGNATURE_HEADER} header; sign the body as t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">.`,
    };
  }
  const parts = new Map(
    header.split(',').map((kv) => {
      const i = kv.indexOf('=');
      return [kv.slice(0, i).trim(), kv.slice(i + 1).trim()] as const;
    }),
  );
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1') ?? '';
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(v1)) {
    return {
      ok: false,
      reason: `${SIGNATURE_HEADER} is malformed (received "${header.slice(0, 100)}"); expected t=<unix seconds>,v1=<64 hex chars>.`,
    };
  }
  if (Math.abs(nowSeconds - t) > TOLERANCE_SECONDS) {
    return {
      ok: false,
      reason: `Signature timestamp ${t} is more than ${TOLERANCE_SECONDS}s from now (${nowSeconds}); sign each request when you send it.`,
    };
  }
  const expected = Buffer.from(sign(secret, body, t).split('v1=')[1]!, 'hex');
  if (!timingSafeEqual(expected, Buffer.from(v1, 'hex'))) {
    return {
      ok: false,
      reason: 'Signature does not match the body; sign the exact raw body sent.',
    };
  }
  return { ok: true };
}
