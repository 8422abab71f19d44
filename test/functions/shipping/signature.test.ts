import { describe, expect, it } from 'vitest';
import { verify } from '../../../functions/shipping/domain/signature.js';
import { carrierSignature } from '../../../harness/carrier/sign.js';

const current = 'whsec_0123456789abcdef';
const previous = 'whsec_previous_value_0';
const body = '{"eventId":"c1","type":"DISPATCHED"}';
const request = { method: 'POST', path: '/shipments/shp_ord_1/events', body };
const now = 1_800_000_000;

describe('carrier webhook signatures', () => {
  it('accepts a signature of this method, path and body made now', () => {
    const header = carrierSignature(current, request, now);
    expect(verify([current], request, header, now + 10)).toEqual({ ok: true });
  });

  it('accepts a signature with the previous secret during a rotation', () => {
    const header = carrierSignature(previous, request, now);
    expect(verify([current, previous], request, header, now)).toEqual({ ok: true });
  });

  it('accepts a header with several v1 values when one matches', () => {
    const header = carrierSignature(['whsec_unknown_to_shop', current], request, now);
    expect(header.match(/v1=/g)).toHaveLength(2);
    expect(verify([current, previous], request, header, now)).toEqual({ ok: true });
  });

  it.each([
    ['missing', undefined, /Missing x-carrier-signature/],
    ['malformed', 'v1=abc', /malformed/],
    [
      'another body',
      carrierSignature(current, { ...request, body: `${body} ` }, now),
      /does not match/,
    ],
    [
      'other shipment',
      carrierSignature(current, { ...request, path: '/shipments/shp_ord_2/events' }, now),
      /does not match/,
    ],
    [
      'other method',
      carrierSignature(current, { ...request, method: 'PUT' }, now),
      /does not match/,
    ],
    ['unknown secret', carrierSignature('whsec_other_secret_1', request, now), /does not match/],
    ['too old (replayed)', carrierSignature(current, request, now - 301), /more than 300s/],
  ])('rejects a %s signature with a reason', (_name, header, reason) => {
    const result = verify([current, previous], request, header, now);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });
});
