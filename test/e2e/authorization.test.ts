/**
 * Who may call what, on the running shop: every route behind the JWT
 * authorizer refuses a missing, forged or tampered token (401); a customer
 * sees only their own records (someone else's is the 404 of none), operator
 * routes answer customers 403, and POST /orders is throttled (429).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningShop } from '../../harness/shop/index.js';
import { api, bootShop, eventually, newProduct, orderStatus, placeOrder, root } from './shop.js';

let shop: RunningShop;
let adaOrder: string;
const SKU = `AUTHZ-${process.pid}`;

beforeAll(async () => {
  shop = await bootShop();
  await newProduct(shop, SKU, 500, 100);
  const placed = await placeOrder(shop, [{ sku: SKU, quantity: 1 }]);
  expect(placed.status).toBe(202);
  adaOrder = placed.orderId;
  await orderStatus(shop, adaOrder, 'CONFIRMED');
}, 120_000);

afterAll(async () => {
  await shop?.stop();
});

/** Every route behind the authorizer, with a request that names ada's records. */
const routes = () => [
  { method: 'POST', path: '/orders', body: {} },
  { method: 'GET', path: `/orders/${adaOrder}` },
  { method: 'POST', path: `/orders/${adaOrder}/cancel` },
  { method: 'GET', path: `/payments/${adaOrder}` },
  { method: 'GET', path: `/shipments/shp_${adaOrder}` },
  { method: 'GET', path: '/customers/me/notifications' },
  { method: 'PUT', path: `/products/${SKU}`, body: { name: 'x', priceCents: 1 } },
  { method: 'POST', path: `/products/${SKU}/restock`, body: { quantity: 1 } },
];

async function raw(method: string, path: string, token: string | undefined, body?: unknown) {
  const res = await fetch(`${shop.apiUrl}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token !== undefined && { authorization: `Bearer ${token}` }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as unknown };
}

/** A token with ada's very claims and the pool's key id, signed by another RSA key. */
async function forged(overrides: Record<string, unknown> = {}): Promise<string> {
  const real = await shop.signIn.token('ada');
  const { privateKey } = await generateKeyPair('RS256');
  return new SignJWT({ ...decodeJwt(real), ...overrides })
    .setProtectedHeader(decodeProtectedHeader(real) as { alg: string; kid: string })
    .sign(privateKey);
}

/** A real token whose exp was moved into the past (its signature no longer matches either). */
async function expired(): Promise<string> {
  const [header, payload, signature] = (await shop.signIn.token('ada')).split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as { exp: number };
  const past = Buffer.from(
    JSON.stringify({ ...claims, exp: Math.floor(Date.now() / 1000) - 3600 }),
  ).toString('base64url');
  return `${header}.${past}.${signature}`;
}

describe('authorization at the edge and in the handlers', () => {
  it('answers 401 Unauthorized to no token, a forged one and an expired one, on every route', async () => {
    const bad = { none: undefined, forged: await forged(), expired: await expired() };
    for (const route of routes()) {
      for (const [kind, token] of Object.entries(bad)) {
        const res = await raw(route.method, route.path, token, route.body);
        expect({ route: `${route.method} ${route.path}`, kind, ...res }).toMatchObject({
          status: 401,
          body: { message: 'Unauthorized' },
        });
      }
    }
  });

  it("answers another customer with the 404 of none for ada's order, payment, shipment, notifications", async () => {
    const asGrace = (method: string, path: string) =>
      api(shop, method, path, undefined, {}, 'grace');
    for (const path of [
      `/orders/${adaOrder}`,
      `/payments/${adaOrder}`,
      `/shipments/shp_${adaOrder}`,
    ]) {
      expect({ path, status: (await asGrace('GET', path)).status }).toEqual({ path, status: 404 });
    }
    const adaId = await shop.signIn.subjectOf('ada');
    expect((await asGrace('GET', `/customers/${adaId}/notifications`)).status).toBe(404);
    expect((await asGrace('POST', `/orders/${adaOrder}/cancel`)).status).toBe(404);
    // Still ada's, still confirmed: grace's cancel changed nothing.
    expect((await api(shop, 'GET', `/orders/${adaOrder}`)).body).toMatchObject({
      status: 'CONFIRMED',
    });
  });

  it('serves the owner and an operator', async () => {
    const adaId = await shop.signIn.subjectOf('ada');
    for (const as of ['ada', 'admin'] as const) {
      for (const path of [
        `/orders/${adaOrder}`,
        `/payments/${adaOrder}`,
        `/shipments/shp_${adaOrder}`,
      ]) {
        expect({
          as,
          path,
          status: (await api(shop, 'GET', path, undefined, {}, as)).status,
        }).toEqual({
          as,
          path,
          status: 200,
        });
      }
      const notes = await eventually('ada to have a notification', async () => {
        const r = await api(shop, 'GET', `/customers/${adaId}/notifications`, undefined, {}, as);
        return r.status === 200 && (r.body['notifications'] as unknown[]).length > 0
          ? r
          : undefined;
      });
      expect(notes.body['customerId']).toBe(adaId);
    }
    expect((await api(shop, 'GET', `/orders/${adaOrder}`)).body).toMatchObject({
      customerId: adaId,
    });
  });

  it('answers a customer 403 on operator routes, naming the group', async () => {
    const put = await api(shop, 'PUT', `/products/${SKU}`, { name: 'x', priceCents: 1 });
    const restock = await api(shop, 'POST', `/products/${SKU}/restock`, { quantity: 1 });
    for (const res of [put, restock]) {
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ error: 'Forbidden', requiredGroup: 'operators' });
    }
    const asAdmin = await api(
      shop,
      'POST',
      `/products/${SKU}/restock`,
      { quantity: 1 },
      {},
      'admin',
    );
    expect(asAdmin.status).toBe(200);
  });

  it("throttles a burst above POST /orders's limit with 429s", async () => {
    const template = JSON.parse(
      readFileSync(join(root, '.local', 'cdk.out.e2e', 'Shop-Edge.template.json'), 'utf8'),
    ) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    const stage = Object.values(template.Resources).find(
      (r) => r.Type === 'AWS::ApiGatewayV2::Stage',
    );
    const settings = (
      stage?.Properties['RouteSettings'] as Record<string, { ThrottlingBurstLimit: number }>
    )['POST /orders'];
    const burst = settings!.ThrottlingBurstLimit;
    const token = await shop.signIn.token('ada');
    // No Idempotency-Key: a request that passes the throttle is a cheap 400 that writes nothing.
    const answers = await Promise.all(
      Array.from({ length: burst + 20 }, () => raw('POST', '/orders', token, { lines: [] })),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 429 || s === 400)).toBe(true);
  });
});
