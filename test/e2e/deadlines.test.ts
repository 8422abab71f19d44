/**
 * Saga deadlines end to end (docs/adr/0017): the shop deployed with a 5 s
 * orderDeadline. An order whose payment never answers (the provider is down)
 * is cancelled TIMED_OUT at its deadline and compensated like any
 * cancellation; an order confirmed in time keeps its state, and its schedule
 * is gone.
 */
import { ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import {
  GetQueueAttributesCommand,
  ListQueuesCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningShop } from '../../harness/shop/index.js';
import {
  api,
  bootShop,
  clientConfig,
  eventually,
  newProduct,
  orderStatus,
  placeOrder,
  product,
} from './shop.js';

const DEADLINE_MS = 5_000;
let shop: RunningShop;
let scheduler: SchedulerClient;
let group: string;
const sku = (name: string) => `E2E-DL-${name}-${process.pid}`;

beforeAll(async () => {
  shop = await bootShop({ orderDeadline: `${DEADLINE_MS / 1000}s` });
  scheduler = new SchedulerClient(clientConfig(shop));
  group = shop.output('Shop-Orders', 'DeadlineScheduleGroupName');
  // Payments retries a failed charge when its message comes back: soon, not after the deployed minutes.
  await paymentsRetryWithin(5);
}, 240_000);

afterAll(async () => {
  scheduler?.destroy();
  await shop?.stop();
});

async function paymentsRetryWithin(seconds: number): Promise<void> {
  const sqs = new SQSClient(clientConfig(shop));
  try {
    const { QueueUrls = [] } = await sqs.send(new ListQueuesCommand({}));
    const queue = QueueUrls.find(
      (u) => u.includes('Shop-Payments') && /Subscription/.test(u) && !/DeadLetter/.test(u),
    );
    if (!queue) throw new Error(`No payments subscription queue among ${QueueUrls.join(', ')}`);
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: queue,
        Attributes: { VisibilityTimeout: String(seconds) },
      }),
    );
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queue, AttributeNames: ['VisibilityTimeout'] }),
    );
    expect(Attributes?.VisibilityTimeout).toBe(String(seconds));
  } finally {
    sqs.destroy();
  }
}

async function scheduleNames(): Promise<string[]> {
  const { Schedules = [] } = await scheduler.send(new ListSchedulesCommand({ GroupName: group }));
  return Schedules.map((s) => s.Name ?? '');
}

describe('saga deadlines', () => {
  it('an order whose payment never answers is CANCELLED(TIMED_OUT), its stock released, nothing kept once the provider is back', async () => {
    await newProduct(shop, sku('MUG'), 1200, 10);
    shop.provider.control.set({ mode: 'down' });
    try {
      const placed = await placeOrder(shop, [{ sku: sku('MUG'), quantity: 3 }]);
      expect(placed.status).toBe(202);
      const placedAt = Date.now();
      await eventually('the stock to be reserved', async () => {
        const p = await product(shop, sku('MUG'));
        return p.reserved === 3 ? p : undefined;
      });

      await eventually(
        'the order deadline to be scheduled',
        async () =>
          (await scheduleNames()).includes(`order-${placed.orderId}`) ? true : undefined,
        DEADLINE_MS,
      );

      const cancelled = await orderStatus(shop, placed.orderId, 'CANCELLED');
      expect(Date.now() - placedAt).toBeGreaterThanOrEqual(DEADLINE_MS - 1000);
      expect(cancelled).toMatchObject({ reason: 'TIMED_OUT' });
      await eventually('the stock to be released', async () => {
        const p = await product(shop, sku('MUG'));
        return p.available === 10 && p.reserved === 0 ? p : undefined;
      });
      // Fired and deleted itself (ActionAfterCompletion DELETE).
      await eventually('the fired schedule to be gone', async () =>
        (await scheduleNames()).includes(`order-${placed.orderId}`) ? undefined : true,
      );
      // The customer can no longer cancel it: it is settled.
      expect((await api(shop, 'POST', `/orders/${placed.orderId}/cancel`)).status).toBe(409);

      shop.provider.control.set({ mode: 'up' });
      // The charge in flight when the order timed out completes, and payments refunds it.
      const payment = await eventually(
        'the payment to keep nothing',
        async () => {
          const p = await api(shop, 'GET', `/payments/${placed.orderId}`);
          const { status, chargedCents, refundedCents } = p.body;
          const done = status === 'REFUNDED' || status === 'CANCELLED_BEFORE_CHARGE';
          return done && chargedCents === refundedCents ? p.body : undefined;
        },
        60_000,
      );
      expect(payment).toMatchObject({ orderId: placed.orderId });
      const ledger = shop.provider.control.ledger().orders[placed.orderId];
      expect((ledger?.charged_cents ?? 0) - (ledger?.refunded_cents ?? 0)).toBe(0);
      // Still cancelled: the late charge changed nothing in orders.
      expect((await api(shop, 'GET', `/orders/${placed.orderId}`)).body).toMatchObject({
        status: 'CANCELLED',
        reason: 'TIMED_OUT',
      });
    } finally {
      shop.provider.control.set({ mode: 'up' });
    }
  }, 120_000);

  it('an order CONFIRMED in time has no schedule left, and its deadline passing changes nothing', async () => {
    await newProduct(shop, sku('TEE'), 2500, 5);
    const placed = await placeOrder(shop, [{ sku: sku('TEE'), quantity: 1 }]);
    const placedAt = Date.now();
    const confirmed = await orderStatus(shop, placed.orderId, 'CONFIRMED');

    await eventually('the schedule to be deleted', async () =>
      (await scheduleNames()).includes(`order-${placed.orderId}`) ? undefined : true,
    );
    await new Promise((r) =>
      setTimeout(r, Math.max(0, placedAt + DEADLINE_MS + 3000 - Date.now())),
    );

    const after = await api(shop, 'GET', `/orders/${placed.orderId}`);
    expect(after.body).toEqual(confirmed);
    expect(await product(shop, sku('TEE'))).toMatchObject({ available: 4, reserved: 1 });
    expect((await api(shop, 'GET', `/payments/${placed.orderId}`)).body).toMatchObject({
      status: 'AUTHORIZED',
      chargedCents: 2500,
      refundedCents: 0,
    });
  }, 60_000);
});
