import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { HttpError, MAX_BODY_BYTES, httpHandler, json, parseBody } from '#plumbing/http.js';

const schema = z.strictObject({ name: z.string().min(1), quantity: z.number().int().min(1) });
const event = (
  body: string | undefined,
  headers: Record<string, string> = { 'content-type': 'application/json' },
) =>
  ({
    body,
    headers,
    isBase64Encoded: false,
    requestContext: { requestId: 'req-9' },
  }) as unknown as APIGatewayProxyEventV2;
const context = { awsRequestId: 'aws-1' } as Context;
const route = httpHandler(async (e) => json(200, parseBody(e, schema)));

async function call(body: string | undefined, headers?: Record<string, string>) {
  const res = await route(event(body, headers), context);
  return { status: res.statusCode, body: JSON.parse(res.body!) };
}

describe('HTTP plumbing', () => {
  it('passes a valid body through', async () => {
    expect(await call('{"name":"a","quantity":2}')).toEqual({
      status: 200,
      body: { name: 'a', quantity: 2 },
    });
  });

  it.each([
    ['malformed JSON', '{"name":', 400, 'MalformedJson', /not valid JSON/],
    ['an empty body', '', 400, 'ValidationError', /empty/],
    [
      'a wrong type',
      '{"name":"a","quantity":"2"}',
      400,
      'ValidationError',
      /quantity: .*expected number/,
    ],
    ['a missing field', '{"quantity":2}', 400, 'ValidationError', /name/],
    ['an extra field', '{"name":"a","quantity":2,"admin":true}', 400, 'ValidationError', /admin/],
    [
      'a huge body',
      JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES) }),
      413,
      'PayloadTooLarge',
      /limit/,
    ],
  ])('rejects %s with a 4xx naming the problem', async (_name, body, status, error, message) => {
    const res = await call(body);
    expect(res.status).toBe(status);
    expect(res.body.error).toBe(error);
    expect(res.body.message).toMatch(message);
  });

  it('lists every invalid field', async () => {
    const res = await call('{"name":"","quantity":0}');
    expect(res.body.fields.map((f: { field: string }) => f.field)).toEqual(['name', 'quantity']);
  });

  it('rejects a non-JSON content type with 415', async () => {
    expect(
      (await call('name=a', { 'content-type': 'application/x-www-form-urlencoded' })).status,
    ).toBe(415);
  });

  it('maps HttpError to its status and hides unexpected errors behind a 500 with the request id', async () => {
    const conflict = httpHandler(async () => {
      throw new HttpError(409, 'Conflict', 'already done', { status: 'CANCELLED' });
    });
    const crash = httpHandler(async () => {
      throw new Error('secret internals');
    });
    const c = await conflict(event(undefined), context);
    expect(c.statusCode).toBe(409);
    expect(JSON.parse(c.body!)).toEqual({
      error: 'Conflict',
      message: 'already done',
      status: 'CANCELLED',
    });
    const x = await crash(event(undefined), context);
    expect(x.statusCode).toBe(500);
    expect(x.body).not.toMatch(/secret internals/);
    expect(JSON.parse(x.body!).requestId).toBe('req-9');
  });
});
