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
    expect(c.stderr()).toContain('no log line with it');
  });

  it("adds the order's log lines, read through the CloudWatch Logs API, oldest first", async () => {
    // What the functions wrote (the local Lambda appends its workers' output here).
    const line = (fields: Record<string, unknown>) =>
      JSON.stringify({ correlationId: 'ord-42', ...fields });
    const t = Date.now();
    env.cloud.logs.append(
      'Shop-Orders-PlaceOrderLogs',
      's1',
      line({ service: 'orders', level: 'INFO', message: 'Order placed' }),
      t,
    );
    env.cloud.logs.append(
      'Shop-Payments-OnEventLogs',
      's2',
      line({
        service: 'payments',
        level: 'ERROR',
        message: 'Event handling failed',
        detailType: 'StockReserved',
        eventId: ids.reserved,
      }),
      t + 5,
    );
    env.cloud.logs.append(
      'Shop-Payments-OnEventLogs',
      's2',
      JSON.stringify({ correlationId: 'ord-43', message: 'other' }),
      t + 6,
    );
    env.cloud.logs.append('Unrelated-Group', 's3', line({ message: 'not a shop group' }), t + 7);

    const { c, done } = run(['ord-42']);
    expect(await done).toBe(0);
    const out = c.stdout();
    expect(out).toContain('2 log lines from 2 log groups (CloudWatch Logs on the local cloud at');
    expect(out).toMatch(
      /orders\s+INFO\s+Order placed\n.*payments\s+ERROR\s+Event handling failed {2}\(StockReserved b2b2b2b2\)/,
    );
    expect(out).not.toContain('other');
    expect(out).not.toContain('not a shop group');

    const json = run(['ord-42', '--json', '--log-groups', 'Unrelated-Group']);
    expect(await json.done).toBe(0);
    const parsed = JSON.parse(json.c.stdout()) as {
      logLines: { message: string; logGroup: string }[];
    };
    expect(parsed.logLines).toMatchObject([
      { message: 'not a shop group', logGroup: 'Unrelated-Group' },
    ]);
  });

  it('names the log group it cannot find (exit 1)', async () => {
    const { c, done } = run(['ord-42', '--log-groups', 'Shop-Nope']);
    expect(await done).toBe(1);
    expect(c.stderr()).toContain('Shop-Nope');
  });

  it('needs exactly one order id (exit 2)', async () => {
    const { c, done } = run([]);
    expect(await done).toBe(2);
    expect(c.stderr()).toContain('trace takes exactly one order id');
  });
});
