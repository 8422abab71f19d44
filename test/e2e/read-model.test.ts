/**
 * The read side end to end: views fed by the saga's events, served per
 * customer, and rebuilt from the archive into a new version that ends
 * byte-identical to the live one.
 */
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningShop } from '../../harness/shop/index.js';
import { main as rebuild } from '../../ops/rebuild.js';
import {
  api,
  bootShop,
  eventually,
  newProduct,
  orderStatus,
  placeOrder,
  settled,
  snapshot,
} from './shop.js';

let shop: RunningShop;
const sku = (name: string) => `E2E-RM-${name}-${process.pid}`;

beforeAll(async () => {
  shop = await bootShop();
}, 240_000);

afterAll(async () => {
  await shop?.stop();
});

type Listed = {
  orderId: string;
  status: string;
  payment: { status: string; authorizedCents: number };
  shipment: { status: string };
};

async function listOf(as: 'ada' | 'grace'): Promise<Listed[]> {
  const { status, body } = await api(
    shop,
    'GET',
    '/customers/me/orders?limit=100',
    undefined,
    {},
    as,
  );
  expect(status).toBe(200);
  return body['orders'] as Listed[];
}

/** The items of the views table's active version, with the version taken out of their keys. */
async function activeViews(): Promise<unknown[]> {
  const tables = await snapshot(shop);
  const name = Object.keys(tables).find((t) => t.startsWith('Shop-Views-'));
  if (!name) throw new Error(`No Shop-Views table among ${Object.keys(tables).join(', ')}`);
  const items = tables[name] as Record<string, unknown>[];
  const pointer = items.find((i) => i['pk'] === 'PROJECTION');
  const active = typeof pointer?.['active'] === 'number' ? pointer['active'] : 1;
  return items
    .filter((i) => i['kind'] === 'order-view' && i['projectionVersion'] === active)
    .map(({ pk, gsi1pk, projectionVersion: _, ...rest }) => ({
      pk: String(pk).replace(/^V#\d+#/, ''),
      ...(gsi1pk !== undefined && { gsi1pk: String(gsi1pk).replace(/^V#\d+#/, '') }),
      ...rest,
    }))
    .sort((a, b) => a.pk.localeCompare(b.pk));
}

function capture() {
  let out = '';
  const sink = { write: (chunk: string) => (out += chunk) };
  return {
    io: { stdout: sink, stderr: sink, stdin: new PassThrough(), env: {}, pollMs: 100 },
    text: () => out,
  };
}

describe('the read model', () => {
  let adaOrder: string;
  let graceOrder: string;

  it("shows ada's confirmed order with its payment and scheduled shipment, never grace's", async () => {
    await newProduct(shop, sku('MUG'), 1200, 20);
    const ada = await placeOrder(shop, [{ sku: sku('MUG'), quantity: 2 }]);
    const grace = await placeOrder(
      shop,
      [{ sku: sku('MUG'), quantity: 1 }],
      'tok_approve',
      undefined,
      'grace',
    );
    adaOrder = ada.orderId;
    graceOrder = grace.orderId;
    await orderStatus(shop, adaOrder, 'CONFIRMED');

    const listed = await eventually(
      "ada's order in the read model with its shipment scheduled",
      async () => {
        const order = (await listOf('ada')).find((o) => o.orderId === adaOrder);
        return order?.shipment.status === 'SCHEDULED' ? order : undefined;
      },
      10_000,
    );
    expect(listed).toMatchObject({
      status: 'CONFIRMED',
      amountCents: 2400,
      currency: 'USD',
      payment: { status: 'AUTHORIZED', authorizedCents: 2400, refundedCents: 0 },
      shipment: { status: 'SCHEDULED', shipmentId: `shp_${adaOrder}` },
    });

    await eventually("grace's order in her own list", async () =>
      (await listOf('grace')).some((o) => o.orderId === graceOrder) ? true : undefined,
    );
    expect((await listOf('ada')).map((o) => o.orderId)).not.toContain(graceOrder);
  }, 60_000);

  it("lists ada's journey in causal order, and answers grace 404 for it", async () => {
    const { status, body } = await api(shop, 'GET', `/orders/${adaOrder}/timeline`);
    expect(status).toBe(200);
    expect((body['events'] as { type: string }[]).map((e) => e.type)).toEqual([
      'OrderPlaced',
      'StockReserved',
      'PaymentAuthorized',
      'OrderConfirmed',
      'ShipmentScheduled',
    ]);
    const asGrace = await api(shop, 'GET', `/orders/${adaOrder}/timeline`, undefined, {}, 'grace');
    expect(asGrace.status).toBe(404);
    // ada's id is her token's subject: operators may read her list, grace may not.
    const token = await shop.signIn.token('ada');
    const adaId = String(
      JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString())['sub'],
    );
    const path = `/customers/me/orders?customerId=${encodeURIComponent(adaId)}`;
    expect((await api(shop, 'GET', path, undefined, {}, 'grace')).status).toBe(403);
    const asAdmin = await api(shop, 'GET', path, undefined, {}, 'admin');
    expect(asAdmin.status).toBe(200);
    expect((asAdmin.body['orders'] as Listed[]).map((o) => o.orderId)).toContain(adaOrder);
  });

  it('is rebuilt from the archive into a new version that ends byte-identical, without readers noticing', async () => {
    await settled(shop);
    const before = await activeViews();
    const listBefore = await listOf('ada');
    expect(before.length).toBeGreaterThanOrEqual(2);

    const { io, text } = capture();
    const code = await rebuild(['--endpoint-url', shop.endpoint, '--yes'], io);
    expect(code, text()).toBe(0);
    expect(text()).toMatch(/Version 2 is ACTIVE/);

    await settled(shop);
    expect(await activeViews()).toEqual(before);
    expect(await listOf('ada')).toEqual(listBefore);
    // Only version 2 is left, and the pointer names it.
    const tables = await snapshot(shop);
    const views = Object.entries(tables).find(([t]) => t.startsWith('Shop-Views-'))![1] as Record<
      string,
      unknown
    >[];
    expect(
      new Set(views.filter((i) => i['kind'] === 'order-view').map((i) => i['projectionVersion'])),
    ).toEqual(new Set([2]));
    expect(views.find((i) => i['pk'] === 'PROJECTION')).toMatchObject({ active: 2 });
  }, 120_000);

  it('dry run: says what it would do and writes nothing', async () => {
    const before = await snapshot(shop);
    const { io, text } = capture();
    expect(await rebuild(['--endpoint-url', shop.endpoint, '--dry-run'], io)).toBe(0);
    expect(text()).toMatch(/version 2 active, 3 to build/);
    expect(text()).toMatch(/cost +about \$/);
    expect(await snapshot(shop)).toEqual(before);
  });
});
