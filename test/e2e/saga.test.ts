/**
 * The saga end to end on the local cloud: the synthesized CDK app, the same
 * bundles `cdk deploy` ships, driven over HTTP and checked through the APIs.
 */
import {
  DescribeReplayCommand,
  EventBridgeClient,
  ListArchivesCommand,
  StartReplayCommand,
} from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carrierSignature } from '../../harness/carrier/sign.js';
import type { RunningShop } from '../../harness/shop/index.js';
import {
  api,
  bootShop,
  carrier,
  clientConfig,
  deadLetters,
  eventually,
  newProduct,
  orderStatus,
  placeOrder,
  product,
  settled,
  snapshot,
} from './shop.js';

let shop: RunningShop;
const windowStart = new Date(Date.now() - 60_000);
const sku = (name: string) => `E2E-${name}-${process.pid}`;

beforeAll(async () => {
  shop = await bootShop();
}, 240_000);

afterAll(async () => {
  await shop?.stop();
});

describe('the shop, end to end', () => {
  it('an order is CONFIRMED, then COMPLETED through signed carrier webhooks', async () => {
    await newProduct(shop, sku('MUG'), 1250, 10);
    const placed = await placeOrder(shop, [{ sku: sku('MUG'), quantity: 2 }]);
    expect(placed.status).toBe(202);
    expect(placed.headers.get('location')).toBe(`/orders/${placed.orderId}`);

    const confirmed = await orderStatus(shop, placed.orderId, 'CONFIRMED');
    expect(confirmed).toMatchObject({ amountCents: 2500, currency: 'USD' });
    expect(await product(shop, sku('MUG'))).toMatchObject({ available: 8, reserved: 2 });
    const payment = await api(shop, 'GET', `/payments/${placed.orderId}`);
    expect(payment.body).toMatchObject({
      status: 'AUTHORIZED',
      chargedCents: 2500,
      refundedCents: 0,
    });

    const shipmentId = `shp_${placed.orderId}`;
    await eventually('the shipment to be scheduled', async () => {
      const s = await api(shop, 'GET', `/shipments/${shipmentId}`);
      return s.status === 200 ? s : undefined;
    });
    expect((await carrier(shop, shipmentId, 'DISPATCHED')).status).toBe(200);
    expect((await carrier(shop, shipmentId, 'DELIVERED')).status).toBe(200);
    await orderStatus(shop, placed.orderId, 'COMPLETED');

    const notes = await eventually('four notifications', async () => {
      // `me`: the signed-in customer (ada), whose id is the token's subject.
      const { body } = await api(shop, 'GET', '/customers/me/notifications?limit=100');
      const mine = (body['notifications'] as { orderId: string; kind: string }[]).filter(
        (n) => n.orderId === placed.orderId,
      );
      return mine.length === 3 ? mine : undefined;
    });
    expect(notes.map((n) => n.kind).sort()).toEqual([
      'ORDER_CONFIRMED',
      'SHIPMENT_DELIVERED',
      'SHIPMENT_DISPATCHED',
    ]);
  });

  it('a webhook signed with another key is refused with 401 and changes nothing', async () => {
    const res = await carrier(shop, 'shp_ord_nope', 'DISPATCHED', 'not-the-real-secret-123');
    expect(res.status).toBe(401);
    expect(res.body['error']).toBe('InvalidSignature');
  });

  it('a webhook signed for one shipment is refused on another with 401 and changes nothing', async () => {
    await newProduct(shop, sku('CAPTURED'), 900, 10);
    const placed = await placeOrder(shop, [{ sku: sku('CAPTURED'), quantity: 1 }]);
    await orderStatus(shop, placed.orderId, 'CONFIRMED');
    const target = `shp_${placed.orderId}`;
    await eventually('the shipment to be scheduled', async () => {
      const res = await api(shop, 'GET', `/shipments/${target}`);
      return res.status === 200 && res.body['status'] === 'SCHEDULED' ? true : undefined;
    });
    // A request captured on its way to another shipment, replayed here within the time window.
    const body = JSON.stringify({
      eventId: `captured-${placed.orderId}`,
      type: 'DISPATCHED',
      carrier: 'ACME Parcel',
      trackingNumber: 'TRK-0002',
      occurredAt: new Date().toISOString(),
    });
    const signature = carrierSignature(shop.webhookSecret, {
      method: 'POST',
      path: '/shipments/shp_ord_someone_else/events',
      body,
    });
    const res = await api(
      shop,
      'POST',
      `/shipments/${target}/events`,
      body,
      { 'x-carrier-signature': signature },
      null,
    );
    expect(res.status).toBe(401);
    expect(res.body['error']).toBe('InvalidSignature');
    expect((await api(shop, 'GET', `/shipments/${target}`)).body['status']).toBe('SCHEDULED');
  });

  it('out of stock: CANCELLED (OUT_OF_STOCK), stock unchanged, nothing charged', async () => {
    await newProduct(shop, sku('CAP'), 1800, 3);
    const placed = await placeOrder(shop, [{ sku: sku('CAP'), quantity: 5 }]);
    const cancelled = await orderStatus(shop, placed.orderId, 'CANCELLED');
    expect(cancelled['reason']).toBe('OUT_OF_STOCK');
    expect(await product(shop, sku('CAP'))).toMatchObject({ available: 3, reserved: 0 });
    // Payments never charged: it has no record, or, once OrderCancelled has reached it, the
    // tombstone that keeps a late StockReserved from charging (delivery order is not guaranteed).
    const payment = await api(shop, 'GET', `/payments/${placed.orderId}`);
    if (payment.status === 200) {
      expect(payment.body).toMatchObject({ status: 'CANCELLED_BEFORE_CHARGE', chargedCents: 0 });
    } else expect(payment.status).toBe(404);
  });

  it('tok_decline: CANCELLED (PAYMENT_DECLINED), the reservation released', async () => {
    await newProduct(shop, sku('TEE'), 2500, 4);
    const placed = await placeOrder(shop, [{ sku: sku('TEE'), quantity: 1 }], 'tok_decline');
    const cancelled = await orderStatus(shop, placed.orderId, 'CANCELLED');
    expect(cancelled['reason']).toBe('PAYMENT_DECLINED');
    await eventually('the reservation to be released', async () => {
      const p = await product(shop, sku('TEE'));
      return p.available === 4 && p.reserved === 0 ? p : undefined;
    });
    expect((await api(shop, 'GET', `/payments/${placed.orderId}`)).body).toMatchObject({
      status: 'DECLINED',
      chargedCents: 0,
    });
  });

  it('customer cancel after confirmation: refunded, released, shipment cancelled', async () => {
    await newProduct(shop, sku('BOOK'), 3900, 5);
    const placed = await placeOrder(shop, [{ sku: sku('BOOK'), quantity: 2 }]);
    await orderStatus(shop, placed.orderId, 'CONFIRMED');
    const shipmentId = `shp_${placed.orderId}`;
    await eventually('the shipment to be scheduled', async () => {
      const s = await api(shop, 'GET', `/shipments/${shipmentId}`);
      return s.body['status'] === 'SCHEDULED' ? s : undefined;
    });

    const cancel = await api(shop, 'POST', `/orders/${placed.orderId}/cancel`);
    expect(cancel.status).toBe(202);
    await orderStatus(shop, placed.orderId, 'CANCELLED');

    await eventually('the refund', async () => {
      const p = await api(shop, 'GET', `/payments/${placed.orderId}`);
      return p.body['status'] === 'REFUNDED' ? p : undefined;
    });
    const ledger = (await (await fetch(`${shop.providerUrl}/_ledger`)).json()) as {
      orders: Record<string, { charged_cents: number; refunded_cents: number }>;
    };
    expect(ledger.orders[placed.orderId]).toMatchObject({
      charged_cents: 7800,
      refunded_cents: 7800,
    });
    await eventually('the stock to be released', async () => {
      const p = await product(shop, sku('BOOK'));
      return p.available === 5 && p.reserved === 0 ? p : undefined;
    });
    await eventually('the shipment to be cancelled', async () => {
      const s = await api(shop, 'GET', `/shipments/${shipmentId}`);
      return s.body['status'] === 'CANCELLED' ? s : undefined;
    });
    const again = await api(shop, 'POST', `/orders/${placed.orderId}/cancel`);
    expect(again.status).toBe(409);
  });

  it('the same Idempotency-Key twice makes one order; with another body it is a 409', async () => {
    await newProduct(shop, sku('PEN'), 300, 10);
    const key = `idem-${process.pid}`;
    const first = await placeOrder(shop, [{ sku: sku('PEN'), quantity: 1 }], 'tok_approve', key);
    const second = await placeOrder(shop, [{ sku: sku('PEN'), quantity: 1 }], 'tok_approve', key);
    expect(second.status).toBe(202);
    expect(second.orderId).toBe(first.orderId);
    const other = await placeOrder(shop, [{ sku: sku('PEN'), quantity: 2 }], 'tok_approve', key);
    expect(other.status).toBe(409);
    await orderStatus(shop, first.orderId, 'CONFIRMED');
    expect(await product(shop, sku('PEN'))).toMatchObject({ available: 9, reserved: 1 });
  });

  it('bad input gets a 400 naming the field, and writes nothing', async () => {
    await settled(shop);
    const before = await snapshot(shop);
    const missingKey = await api(shop, 'POST', '/orders', { lines: [] });
    expect(missingKey.status).toBe(400);
    expect(JSON.stringify(missingKey.body)).toMatch(/idempotency-key/i);
    const badQuantity = await placeOrder(shop, [{ sku: sku('PEN'), quantity: 0 }]);
    expect(badQuantity.status).toBe(400);
    expect(JSON.stringify(badQuantity.body)).toMatch(/lines\.0\.quantity/);
    const named = await api(
      shop,
      'POST',
      '/orders',
      { customerId: 'someone', lines: [{ sku: sku('PEN'), quantity: 1 }] },
      { 'idempotency-key': `named-${Date.now()}` },
    );
    expect(named.status).toBe(400);
    expect(JSON.stringify(named.body)).toMatch(/customerId is taken from your sign-in token/);
    const badPrice = await api(
      shop,
      'PUT',
      `/products/${sku('X')}`,
      { name: 'x', priceCents: -1 },
      {},
      'admin',
    );
    expect(badPrice.status).toBe(400);
    expect(JSON.stringify(badPrice.body)).toMatch(/priceCents/);
    const unknownRoute = await api(shop, 'GET', '/nothing-here');
    expect(unknownRoute.status).toBe(404);
    expect(await snapshot(shop)).toEqual(before);
  });

  it('replaying the archive window of these scenarios changes no state', async () => {
    await settled(shop);
    const before = await snapshot(shop);
    const events = new EventBridgeClient(clientConfig(shop));
    try {
      const { Archives = [] } = await events.send(new ListArchivesCommand({}));
      expect(Archives).toHaveLength(1);
      const archive = Archives[0]!;
      const replayName = `e2e-${process.pid}`;
      const { ReplayArn } = await events.send(
        new StartReplayCommand({
          ReplayName: replayName,
          EventSourceArn: `arn:aws:events:us-east-1:000000000000:archive/${archive.ArchiveName}`,
          EventStartTime: windowStart,
          EventEndTime: new Date(),
          Destination: { Arn: archive.EventSourceArn! },
        }),
      );
      expect(ReplayArn).toBeDefined();
      await eventually('the replay to complete', async () => {
        const r = await events.send(new DescribeReplayCommand({ ReplayName: replayName }));
        if (r.State === 'FAILED') throw new Error(`replay failed: ${r.StateReason}`);
        return r.State === 'COMPLETED' ? r : undefined;
      });
      const log = (await (await fetch(`${shop.endpoint}/_local/events`)).json()) as {
        events: { event: { 'replay-name'?: string } }[];
      };
      expect(
        log.events.filter((e) => e.event['replay-name'] === replayName).length,
      ).toBeGreaterThan(20);
    } finally {
      events.destroy();
    }
    await settled(shop);
    expect(await snapshot(shop)).toEqual(before);
    // The replay fans out to every consumer, the read model's included, then settles.
  }, 90_000);

  it('ends with every dead-letter queue empty', async () => {
    await settled(shop);
    const depths = await deadLetters(shop);
    expect(Object.keys(depths).length).toBeGreaterThanOrEqual(9);
    expect(
      Object.values(depths).every((d) => d === 0),
      JSON.stringify(depths),
    ).toBe(true);
  });
});
