import { describe, expect, it } from 'vitest';
import { sign, verify } from '../../../functions/shipping/domain/signature.js';

const secret = 'whsec_0123456789abcdef';
const body = '{"eventId":"c1","type":"DISPATCHED"}';
const now = 1_800_000_000;

describe('carrier webhook signatures', () => {
  it('accepts a signature of the exact body made now', () => {
    expect(verify(secret, body, sign(secret, body, now), now + 10)).toEqual({ ok: true });
  });

  it.each([
    ['missing', undefined, /Missing x-carrier-signature/],
    ['malformed', 'v1=abc', /malformed/],
    ['another body', sign(secret, `${body} `, now), /does not match/],
    ['another secret', sign('whsec_other_secret_1', body, now), /does not match/],
    ['too old (replayed)', sign(secret, body, now - 301), /more than 300s/],
  ])('rejects a %s signature with a reason', (_name, header, reason) => {
    const result = verify(secret, body, header, now);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });
});
