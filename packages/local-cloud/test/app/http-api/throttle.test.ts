import { describe, expect, it } from 'vitest';
import { StageThrottle } from '../../../src/app/http-api/throttle.js';
import { logGroupOfArn, renderAccessLog } from '../../../src/app/http-api/access-log.js';

describe('StageThrottle', () => {
  it("takes the route's settings over the stage defaults, refills at the rate, caps at the burst", () => {
    let now = 0;
    const t = new StageThrottle(
      { burstLimit: 5, rateLimit: 100 },
      { 'GET /x': { burstLimit: 2, rateLimit: 1 } },
      () => now,
    );
    expect([t.take('GET /x'), t.take('GET /x'), t.take('GET /x')]).toEqual([true, true, false]);
    now = 999;
    expect(t.take('GET /x')).toBe(false);
    now = 1000;
    expect(t.take('GET /x')).toBe(true);
    now = 60_000;
    expect([t.take('GET /x'), t.take('GET /x'), t.take('GET /x')]).toEqual([true, true, false]);
    expect(Array.from({ length: 6 }, () => t.take('GET /y')).filter(Boolean)).toHaveLength(5);
    now = 0; // a clock set back drains nothing
    expect(t.take('GET /y')).toBe(false);
    expect(new StageThrottle({}, {}).take('GET /z')).toBe(true);
  });
});

describe('access log rendering', () => {
  it('fills $context variables, renders unknown ones as -, keeps the JSON valid', () => {
    const line = renderAccessLog(
      '{"id":"$context.requestId","ua":"$context.identity.userAgent","sub":"$context.authorizer.claims.sub","x":"$context.nothing"}',
      {
        requestId: 'abc=',
        'identity.userAgent': 'curl "quoted"',
      },
    );
    expect(JSON.parse(line)).toEqual({ id: 'abc=', ua: 'curl "quoted"', sub: '-', x: '-' });
    expect(
      renderAccessLog('$context.httpMethod $context.path', { httpMethod: 'GET', path: '/a' }),
    ).toBe('GET /a');
    expect(logGroupOfArn('arn:aws:logs:us-east-1:000000000000:log-group:Api-Logs:*')).toBe(
      'Api-Logs',
    );
  });
});
