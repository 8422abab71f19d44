import { describe, expect, it } from 'vitest';
import {
  buildEvent,
  isTextContentType,
  mapResult,
  requestTime,
} from '../../../src/app/http-api/payload.js';

const ctx = {
  routeKey: 'POST /orders/{orderId}',
  pathParameters: { orderId: 'o-1' },
  stage: '$default',
  apiId: 'abc123defg',
  accountId: '000000000000',
  requestId: 'req=',
  now: new Date(Date.UTC(2020, 2, 12, 19, 3, 58, 390)),
};

describe('buildEvent (payload format 2.0)', () => {
  it('lower-cases and joins headers, splits cookies, joins repeated query parameters', () => {
    const event = buildEvent(
      {
        method: 'POST',
        url: '/orders/o-1?tag=a&tag=b&q=%20x',
        headers: [
          ['Host', 'localhost:3000'],
          ['X-Multi', 'one'],
          ['x-multi', 'two'],
          ['Cookie', 'a=1; b=2'],
          ['Content-Type', 'application/json; charset=utf-8'],
          ['User-Agent', 'curl/8'],
        ],
        body: Buffer.from('{"x":1}'),
        sourceIp: '10.0.0.1',
        protocol: 'HTTP/1.1',
      },
      ctx,
    );
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /orders/{orderId}',
      rawPath: '/orders/o-1',
      rawQueryString: 'tag=a&tag=b&q=%20x',
      cookies: ['a=1', 'b=2'],
      queryStringParameters: { tag: 'a,b', q: ' x' },
      pathParameters: { orderId: 'o-1' },
      body: '{"x":1}',
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        apiId: 'abc123defg',
        domainName: 'localhost',
        http: {
          method: 'POST',
          path: '/orders/o-1',
          protocol: 'HTTP/1.1',
          sourceIp: '10.0.0.1',
          userAgent: 'curl/8',
        },
        requestId: 'req=',
        routeKey: 'POST /orders/{orderId}',
        stage: '$default',
        time: '12/Mar/2020:19:03:58 +0000',
        timeEpoch: 1584039838390,
      },
    });
    expect(event.headers['x-multi']).toBe('one,two');
    expect(event.headers['cookie']).toBeUndefined();
    expect(event.headers['x-forwarded-for']).toBe('10.0.0.1');
  });

  it('leaves out empty fields and base64-encodes bodies that are not text', () => {
    const bare = buildEvent(
      {
        method: 'GET',
        url: '/',
        headers: [],
        body: Buffer.alloc(0),
        sourceIp: '1.2.3.4',
        protocol: 'HTTP/1.1',
      },
      { ...ctx, pathParameters: {} },
    );
    for (const k of [
      'cookies',
      'queryStringParameters',
      'pathParameters',
      'body',
      'stageVariables',
    ])
      expect(bare).not.toHaveProperty(k);
    expect(bare.isBase64Encoded).toBe(false);
    const form = buildEvent(
      {
        method: 'POST',
        url: '/',
        headers: [['content-type', 'application/x-www-form-urlencoded']],
        body: Buffer.from('a=1'),
        sourceIp: '1.2.3.4',
        protocol: 'HTTP/1.1',
      },
      ctx,
    );
    expect(form).toMatchObject({
      body: Buffer.from('a=1').toString('base64'),
      isBase64Encoded: true,
    });
  });

  it('treats text/*, JSON, XML and JavaScript as text, everything else as binary', () => {
    for (const t of [
      'text/plain',
      'text/html; charset=utf-8',
      'application/json',
      'application/xml',
      'application/javascript',
    ])
      expect(isTextContentType(t)).toBe(true);
    for (const t of [
      undefined,
      'application/octet-stream',
      'image/png',
      'application/x-www-form-urlencoded',
    ])
      expect(isTextContentType(t)).toBe(false);
  });

  it('formats the request time as API Gateway does', () => {
    expect(requestTime(new Date(Date.UTC(2024, 0, 5, 3, 4, 5)))).toBe('05/Jan/2024:03:04:05 +0000');
  });
});

describe('mapResult', () => {
  const text = (b: Buffer) => b.toString('utf8');

  it('maps the full form: status, headers, multi-value headers, cookies, base64 body', () => {
    const r = mapResult(
      JSON.stringify({
        statusCode: 201,
        headers: { 'Content-Type': 'image/png', 'X-Count': 3 },
        multiValueHeaders: { 'X-Many': ['a', 'b'] },
        cookies: ['s=1; HttpOnly', 't=2'],
        body: Buffer.from([137, 80]).toString('base64'),
        isBase64Encoded: true,
      }),
    );
    expect(r.status).toBe(201);
    expect(r.headers).toEqual([
      ['Content-Type', 'image/png'],
      ['X-Count', '3'],
      ['X-Many', 'a'],
      ['X-Many', 'b'],
      ['set-cookie', 's=1; HttpOnly'],
      ['set-cookie', 't=2'],
    ]);
    expect([...r.body]).toEqual([137, 80]);
  });

  it('defaults the content type of the full form to text/plain', () => {
    const r = mapResult('{"statusCode":204}');
    expect(r.status).toBe(204);
    expect(r.headers).toEqual([['content-type', 'text/plain; charset=utf-8']]);
    expect(text(r.body)).toBe('');
  });

  it('treats any result without statusCode as a 200 JSON body (the simple form)', () => {
    expect(mapResult('{"message":"hi"}')).toMatchObject({
      status: 200,
      headers: [['content-type', 'application/json']],
    });
    expect(text(mapResult('{"message":"hi"}').body)).toBe('{"message":"hi"}');
    expect(text(mapResult('"Hello from Lambda!"').body)).toBe('Hello from Lambda!');
    expect(text(mapResult('[1,2]').body)).toBe('[1,2]');
    expect(text(mapResult('null').body)).toBe('null');
  });

  it('answers 500 for a malformed full form', () => {
    const r = mapResult('{"statusCode":"abc"}');
    expect(r.status).toBe(500);
    expect(JSON.parse(text(r.body))).toEqual({ message: 'Internal Server Error' });
  });
});
