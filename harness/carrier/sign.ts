import { createHmac } from 'node:crypto';

/**
 * The carrier's side of the webhook protocol, written from the documented format (README,
 * "Carrier webhook"), not from the shop's verifier, so tests that use it check both agree:
 *
 *   X-Carrier-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<METHOD>.<path>.<body>">
 *
 * One v1 per secret: during a rotation the carrier may sign with the old and the new one.
 */
export interface CarrierRequest {
  method: string;
  /** As sent in the request line, without the query string. */
  path: string;
  body: string;
}

export function carrierSignature(
  secrets: string | readonly string[],
  request: CarrierRequest,
  timestamp = Math.floor(Date.now() / 1000),
): string {
  const signed = `${timestamp}.${request.method.toUpperCase()}.${request.path}.${request.body}`;
  const v1s = (typeof secrets === 'string' ? [secrets] : secrets).map(
    (secret) => `v1=${createHmac('sha256', secret).update(signed).digest('hex')}`,
  );
  return [`t=${timestamp}`, ...v1s].join(',');
}
