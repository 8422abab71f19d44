import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Carrier webhook signatures. Header:
 *
 *   X-Carrier-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>...]
 *
 * where each v1 is hex HMAC-SHA256, keyed with one webhook secret, of the canonical string
 *
 *   "<t>.<METHOD>.<path>.<raw body>"
 *
 * METHOD upper case; path exactly as in the request line (percent-encoding kept), without the
 * query string or any stage prefix — API Gateway's `rawPath` on the `$default` stage. Signing
 * the method and path binds a signature to one shipment, and the timestamp to one moment.
 * Several v1 values let the carrier sign with the old and the new secret during a rotation;
 * one match with any accepted secret is enough.
 */
export const SIGNATURE_HEADER = 'x-carrier-signature';
export const TOLERANCE_SECONDS = 300;
const FORMAT = 't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<METHOD>.<path>.<body>">';

/** What a signature covers. */
export interface SignedRequest {
  method: string;
  path: string;
  body: string;
}

export function canonicalString(request: SignedRequest, timestamp: number): string {
  return `${timestamp}.${request.method.toUpperCase()}.${request.path}.${request.body}`;
}

function mac(secret: string, request: SignedRequest, timestamp: number): Buffer {
  return createHmac('sha256', secret).update(canonicalString(request, timestamp)).digest();
}

export type Verification = { ok: true } | { ok: false; reason: string };

/** Accepts the request if one v1 value matches one of `secrets` (current first, then previous). */
export function verify(
  secrets: readonly string[],
  request: SignedRequest,
  header: string | undefined,
  nowSeconds: number,
): Verification {
  if (!header) {
    return { ok: false, reason: `Missing ${SIGNATURE_HEADER} header; send ${FORMAT}.` };
  }
  const fields = header.split(',').map((kv) => {
    const i = kv.indexOf('=');
    return i < 0 ? ['', kv.trim()] : [kv.slice(0, i).trim(), kv.slice(i + 1).trim()];
  });
  const ts = fields.filter(([k]) => k === 't').map(([, v]) => v);
  const v1s = fields.filter(([k]) => k === 'v1').map(([, v]) => v!);
  const t = Number(ts[0]);
  if (
    ts.length !== 1 ||
    !Number.isInteger(t) ||
    v1s.length === 0 ||
    !v1s.every((v) => /^[0-9a-f]{64}$/.test(v))
  ) {
    return {
      ok: false,
      reason: `${SIGNATURE_HEADER} is malformed (received "${header.slice(0, 100)}"); expected one t=<unix seconds> and one or more v1=<64 hex chars>.`,
    };
  }
  if (Math.abs(nowSeconds - t) > TOLERANCE_SECONDS) {
    return {
      ok: false,
      reason: `Signature timestamp ${t} is more than ${TOLERANCE_SECONDS}s from now (${nowSeconds}); sign each request when you send it.`,
    };
  }
  const given = v1s.map((v) => Buffer.from(v, 'hex'));
  // Every pair is compared, in constant time each, so the timing does not tell which matched.
  let matched = false;
  for (const secret of secrets) {
    const expected = mac(secret, request, t);
    for (const g of given) if (timingSafeEqual(expected, g)) matched = true;
  }
  if (!matched) {
    return {
      ok: false,
      reason: `Signature does not match ${request.method.toUpperCase()} ${request.path} with this body under any current webhook secret; sign "<t>.<METHOD>.<path>.<exact raw body>" with the secret you were given.`,
    };
  }
  return { ok: true };
}
