import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../ops/trace.js';
import { capture, createBusWithArchive, putShopEvents, startCloud, subscribe } from './support.js';

const BUS = 'ShopPlatformBus69D425C4';
let env: Awaited<ReturnType<typeof startCloud>>;
const ids = {
  placed: 'a1a1a1a1-0000-4000-8000-000000000001',
  reserved: 'b2b2b2b2-0000-4000-8000-000000000002',
  authorized: 'c3c3c3c3-0000-4000-8000-000000000003',
  confirmed: 'd4d4d4d4-0000-4000-8000-000000000004',
  scheduled: 'e5e5e5e5-0000-4000-8000-000000000005',
  notified: 'f6f6f6f6-0000-4000-8000-000000000006',
};

beforeAll(async () => {
  env = await startCloud();
  await createBusWithArchive(env.events, BUS, 'Shop-Platform-BusArchive-Ab12Cd34');
  await subscribe(env.events, env.sqs, {
    bus: BUS,
    stack: 'Shop-Inventory',
    detailTypes: ['OrderPlaced'],
  });
  const e = (source: string, detailType: string, eventId: string, causationId: string) => ({
    source,
    detailType,
    eventId,
    causationId,
    correlationId: 'ord-42',
  });
  // One at a time, so the bus receives them in the saga's order.
  for (const event of [
    e('shop.orders', 'OrderPlaced', ids.placed, 'req-9f8e7d6c'),
    e('shop.inventory', 'StockReserved', ids.reserved, ids.placed),
    e('shop.inventory', 'StockReserved', ids.reserved, ids.placed), // a publisher retry
    e('shop.payments', 'PaymentAuthorized', ids.authorized, ids.reserved),
    e('shop.orders', 'OrderConfirmed', ids.confirmed, ids.authorized),
    e('shop.shipping', 'ShipmentScheduled', ids.scheduled, ids.confirmed),
    e('shop.orders', 'OrderCompleted', ids.notified, ids.confirmed),
    { ...e('shop.orders', 'OrderPlaced', 'other-order-event', 'req-2'), correlationId: 'ord-43' },
  ]) {
    await putShopEvents(env.events, BUS, [event]);
  }
});

afterAll(async () => {
  await env?.stop();
});

function run(args: string[]) {
  const c = capture();
  return { c, done: main([...args, '--endpoint-url', env.cloud.endpoint], c.io) };
}

describe('trace', () => {
  it("draws the order's events as a causation tree, each under its cause", async () => {
    const { c, done } = run(['ord-42']);
    expect(await done).toBe(0);
    const lines = c.stdout().split('\n');
    expect(lines[0]).toMatch(
      /^Order ord-42: 6 events from .* from http:\/\/127\.0\.0\.1:\d+\/_local\/events$/,
    );
    const column = lines[2]!.indexOf('EVENT');
    const events = lines.slice(3).map((l) => l.slice(column));
    expect(events.slice(0, 6)).toEqual([
      'OrderPlaced [orders] a1a1a1a1  (caused by req-9f8e (not an event here))',
      '└─ StockReserved [inventory] b2b2b2b2  (published 2x)',
      '   └─ PaymentAuthorized [payments] c3c3c3c3',
      '      └─ OrderConfirmed [orders] d4d4d4d4',
      '         ├─ ShipmentScheduled [shipping] e5e5e5e5',
      '         └─ OrderCompleted [orders] f6f6f6f6',
    ]);
    expect(c.stdout()).not.toContain('other-or');
  });

  it('lists them in order with their cause with --flat, and as JSON', async () => {
    const flat = run(['ord-42', '--flat']);
    expect(await flat.done).toBe(0);
    expect(flat.c.stdout()).toMatch(/TIME \(UTC\)\s+ELAPSED\s+CAUSE\s+EVENT/);
    expect(flat.c.stdout()).toMatch(/c3c3c3c3\s+OrderConfirmed \[orders\] d4d4d4d4/);

    const json = run(['ord-42', '--json']);
    expect(await json.done).toBe(0);
    const out = JSON.parse(json.c.stdout()) as {
      events: {
        eventId: string;
        depth: number;
        parentEventId: string | null;
        published: number;
        rules: string[];
      }[];
    };
    expect(out.events.map((e) => [e.eventId, e.depth, e.parentEventId])).toEqual([
      [ids.placed, 0, null],
      [ids.reserved, 1, ids.placed],
      [ids.authorized, 2, ids.reserved],
      [ids.confirmed, 3, ids.authorized],
      [ids.scheduled, 4, ids.confirmed],
      [ids.notified, 4, ids.confirmed],
    ]);
    expect(out.events[1]!.published).toBe(2);
    expect(out.events[0]!.rules).toHaveLength(1);
  });

  it('says so when the log has no event of that order (exit 1)', async () => {
    const { c, done } = run(['ord-unknown']);
    expect(await done).toBe(1);
    expect(c.stderr()).toContain('No event with correlationId ord-unknown');
  });

  it('against an endpoint that is not the local cloud, says which source it would need (exit 1)', async () => {
    const c = capture();
    // Nothing listens on port 9: not the local cloud, so it is treated as AWS.
    const code = await main(
      [
        'ord-42',
        '--endpoint-url',
        'http://127.0.0.1:9',
        '--log-groups',
        '/aws/lambda/a,/aws/lambda/b',
      ],
      c.io,
    );
    expect(code).toBe(1);
    expect(c.stderr()).toContain('trace can read only the local cloud');
    expect(c.stderr()).toContain(
      'aws logs start-query --log-group-names /aws/lambda/a /aws/lambda/b',
    );
    expect(c.stderr()).toContain('filter correlationId = "ord-42"');
    expect(c.stderr()).toContain('@aws-sdk/client-cloudwatch-logs');
  });

  it('needs exactly one order id (exit 2)', async () => {
    const { c, done } = run([]);
    expect(await done).toBe(2);
    expect(c.stderr()).toContain('trace takes exactly one order id');
  });
});
