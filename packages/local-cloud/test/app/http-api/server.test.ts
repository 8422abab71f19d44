/** The HTTP API server on hand-declared APIs (no cloud): 404, timeouts, stages, CORS. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpApiServer } from '../../../src/app/http-api/server.js';
import { LambdaService } from '../../../src/app/lambda/service.js';
import { defineFunction } from '../lambda/support.js';

const logs: string[] = [];
const lambda = new LambdaService({
  endpoint: 'http://127.0.0.1:1',
  region: 'us-east-1',
  accountId: '000000000000',
  log: (label, line) => logs.push(`[${label}] ${line}`),
});
const server = new HttpApiServer(lambda, (l) => logs.push(l));
let url = '';

beforeAll(async () => {
  defineFunction(lambda, 'echo', {
    'index.mjs': `export const handler = async (e) => {
      if (e.queryStringParameters?.sleep) await new Promise((r) => setTimeout(r, Number(e.queryStringParameters.sleep)));
      return { statusCode: 200, headers: { 'content-type': 'application/json', 'access-control-allow-origin': 'evil' },
        body: JSON.stringify({ routeKey: e.routeKey, stage: e.requestContext.stage, rawPath: e.rawPath, vars: e.stageVariables }) };
    };`,
  });
  defineFunction(
    lambda,
    'one',
    {
      'index.mjs':
        'export const handler = async () => { await new Promise((r) => setTimeout(r, 1000)); return "ok"; };',
    },
    { reservedConcurrency: 1 },
  );
  url = await server.listen(0);
  server.addApi({
    apiId: 'api1',
    name: 'Shop',
    where: 'S/Api',
    cors: {
      AllowOrigins: ['https://shop.example'],
      AllowMethods: ['GET', 'POST'],
      AllowHeaders: ['content-type'],
      MaxAge: 600,
    },
  });
  server.addIntegration({
    integrationId: 'i1',
    apiId: 'api1',
    functionRef: 'echo',
    timeoutMs: 200,
    where: 'S/I1',
  });
  server.addIntegration({
    integrationId: 'i2',
    apiId: 'api1',
    functionRef: arnOf('one'),
    timeoutMs: 30_000,
    where: 'S/I2',
  });
  server.addStage('api1', '$default');
  server.addStage('api1', 'v1', { color: 'blue' });
  server.addRoute('api1', 'GET /orders/{orderId}', 'i1', 'S/R1');
  server.addRoute('api1', 'GET /one', 'i2', 'S/R2');
});

function arnOf(name: string) {
  return lambda.functionArn(name);
}

afterAll(async () => {
  await server.close();
  await lambda.stop();
});

describe('HttpApiServer', () => {
  it('answers 404 {"message":"Not Found"} when no route matches', async () => {
    const res = await fetch(`${url}/nothing`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ message: 'Not Found' });
    expect((await fetch(`${url}/orders/1`, { method: 'DELETE' })).status).toBe(404);
  });

  it('serves a named stage under its path, with its stage variables', async () => {
    const root = await (await fetch(`${url}/orders/1`)).json();
    expect(root).toEqual({
      routeKey: 'GET /orders/{orderId}',
      stage: '$default',
      rawPath: '/orders/1',
    });
    const staged = await (await fetch(`${url}/v1/orders/1`)).json();
    expect(staged).toEqual({
      routeKey: 'GET /orders/{orderId}',
      stage: 'v1',
      rawPath: '/v1/orders/1',
      vars: { color: 'blue' },
    });
  });

  it('answers 503 Service Unavailable when the integration times out', async () => {
    const res = await fetch(`${url}/orders/1?sleep=1000`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ message: 'Service Unavailable' });
  });

  it('answers 500 when the function is throttled at its reserved concurrency', async () => {
    const [a, b] = await Promise.all([fetch(`${url}/one`), fetch(`${url}/one`)]);
    expect([a.status, b.status].sort()).toEqual([200, 500]);
  });

  it('answers CORS preflight itself and sets the allowed origin on responses', async () => {
    const pre = await fetch(`${url}/orders/1`, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'GET' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(pre.headers.get('access-control-allow-methods')).toBe('GET,POST');
    expect(pre.headers.get('access-control-max-age')).toBe('600');
    const res = await fetch(`${url}/orders/1`, { headers: { origin: 'https://shop.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example');
  });

  it('refuses a route key that another API already serves on the same stage', () => {
    server.addApi({ apiId: 'api2', name: 'Other', where: 'S/Api2' });
    server.addStage('api2', '$default');
    expect(() => server.addRoute('api2', 'GET /one', 'i2', 'S/R3')).toThrow(
      /S\/R3: two routes with the key GET \/one \(also in S\/R2\)/,
    );
    expect(server.routes().filter((r) => r.routeKey === 'GET /one')).toHaveLength(2); // both stages of api1
  });
});
