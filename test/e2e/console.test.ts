/**
 * The local console in a real browser: Debian's Chromium driven by playwright-core, against the
 * running shop. `.ci/run` installs Chromium when /usr/bin/chromium is missing; without it this
 * file skips, saying so. CONSOLE_SCREENSHOTS=<dir> also saves a picture of each main view there
 * (how docs/console/ was made).
 */
import {
  GetQueueAttributesCommand,
  ListQueuesCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allContracts } from '../../events/catalog.js';
import { CHROMIUM, hasChromium, launchChromium } from '../../harness/chromium.js';
import type { RunningShop } from '../../harness/shop/index.js';
import { bootShop, clientConfig, eventually, orderStatus, placeOrder } from './shop.js';

const browserThere = hasChromium();
if (!browserThere) {
  console.warn(
    `console.test.ts: ${CHROMIUM} is missing (apt-get install chromium); skipping the browser tests.`,
  );
}
const shots = process.env['CONSOLE_SCREENSHOTS'];

let shop: RunningShop;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

describe.skipIf(!browserThere)('the local console in Chromium', () => {
  beforeAll(async () => {
    [shop, browser] = await Promise.all([bootShop(), launchChromium()]);
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => pageErrors.push(`page: ${e.message}`));
    if (shots) mkdirSync(shots, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await shop?.stop();
  });

  const shot = async (name: string) => {
    if (shots) await page.screenshot({ path: join(shots, `${name}.png`) });
  };

  it('loads from the local cloud with no error in the page, and connects its live stream', async () => {
    expect(shop.consoleUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/_console\/$/);
    const res = await page.goto(shop.consoleUrl);
    expect(res?.status()).toBe(200);
    await page.getByTestId('connection').filter({ hasText: 'live' }).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('shows an order placed through the API live, and one click opens its journey in order', async () => {
    const { status, orderId } = await placeOrder(shop, [{ sku: 'MUG-001', quantity: 1 }]);
    expect(status).toBe(202);
    await orderStatus(shop, orderId, 'CONFIRMED');
    // Live: no reload. The link is the event's correlation id.
    const link = page.getByTestId('journey-link').filter({ hasText: orderId }).first();
    await link.waitFor({ timeout: 15_000 });
    await page
      .getByTestId('event-row')
      .filter({ hasText: 'OrderPlaced' })
      .filter({ hasText: orderId })
      .waitFor();
    await shot('events');
    await link.click();
    await page.getByTestId('journey').waitFor();
    const expected = [
      'OrderPlaced',
      'StockReserved',
      'PaymentAuthorized',
      'OrderConfirmed',
      'ShipmentScheduled',
    ];
    const labels = await eventually(
      'the journey to show the saga to ShipmentScheduled',
      async () => {
        const all = await page
          .getByTestId('hop')
          .evaluateAll((els) => els.map((e) => e.getAttribute('data-label') ?? ''));
        const firsts = expected.map((t) => all.indexOf(t));
        return firsts.every((i) => i >= 0) ? all : undefined;
      },
    );
    const positions = expected.map((t) => labels.indexOf(t));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    // The call that started it, from outside the bus.
    expect(labels[0]).toBe('POST /orders');
    const lanes = await page
      .getByTestId('lane')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-lane')));
    expect(lanes).toEqual(
      expect.arrayContaining(['outside', 'orders', 'inventory', 'payments', 'shipping']),
    );
    await eventually('the read model to show it CONFIRMED', async () =>
      (await page.getByTestId('order-status').textContent())?.includes('CONFIRMED')
        ? true
        : undefined,
    );
    await shot('journey');
    expect(pageErrors).toEqual([]);
  });

  it('shows a message parked in a dead-letter queue by fault injection, and its redrive button empties it', async () => {
    const sqs = new SQSClient(clientConfig(shop));
    try {
      // Retries in seconds, not the deployed minute: visibility 1 s, dead-lettered on the 2nd receive.
      const { QueueUrls = [] } = await sqs.send(new ListQueuesCommand({}));
      const queue = QueueUrls.find(
        (u) => u.includes('Shop-Notifications') && /Subscription/.test(u) && !/DeadLetter/.test(u),
      )!;
      const dlq = QueueUrls.find((u) => u.includes('Shop-Notifications') && /DeadLetter/.test(u))!;
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queue, AttributeNames: ['RedrivePolicy'] }),
      );
      const policy = { ...JSON.parse(Attributes!['RedrivePolicy']!), maxReceiveCount: 2 };
      await sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl: queue,
          Attributes: { VisibilityTimeout: '1', RedrivePolicy: JSON.stringify(policy) },
        }),
      );
      shop.cloud.faults.set({
        seed: 7,
        handlerErrorRate: 1,
        functions: ['Shop-Notifications/OnEvent'],
      });
      const { orderId } = await placeOrder(shop, [{ sku: 'MUG-001', quantity: 1 }]);
      await orderStatus(shop, orderId, 'CONFIRMED');
      const dlqName = dlq.split('/').at(-1)!;
      const row = page.locator(`[data-testid="queue-row"][data-queue="${dlqName}"]`);
      await page.getByTestId('tab-queues').click();
      await eventually(
        'a dead letter in the notifications DLQ',
        async () =>
          Number(await row.getByTestId('queue-visible').textContent({ timeout: 1_000 })) > 0
            ? true
            : undefined,
        30_000,
      );
      shop.cloud.faults.clear();
      await row.click();
      await page.getByTestId('dead-letter').first().waitFor();
      const letters = (await page.getByTestId('dead-letters').textContent()) ?? '';
      expect(letters).toMatch(/received 2 times \(the limit is 2\)/);
      // Why: the injected error, from the poller that saw the whole batch fail.
      expect(letters).toMatch(/why: The invocation failed — .+\(Shop-Notifications\/OnEvent\)/);
      await shot('dead-letters');
      await page.getByTestId('redrive').click();
      await page
        .getByTestId('redrive-outcome')
        .filter({ hasText: /Moved \d+ messages? back to/ })
        .waitFor();
      await eventually('the DLQ to be empty', async () =>
        (await row.getByTestId('queue-visible').textContent()) === '0' ? true : undefined,
      );
      expect(pageErrors).toEqual([]);
    } finally {
      shop.cloud.faults.clear();
      sqs.destroy();
    }
  }, 90_000);

  it('lists every event contract, with its producer, consumers and schema', async () => {
    await page.getByTestId('tab-catalog').click();
    await page.getByTestId('catalog').waitFor();
    const types = await page
      .getByTestId('contract')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-detail-type')));
    expect([...types].sort()).toEqual(allContracts.map((c) => c.detailType).sort());
    const placed = page.locator('[data-testid="contract"][data-detail-type="OrderPlaced"]');
    await placed.locator('summary').first().click();
    const text = await placed.textContent();
    expect(text).toContain('produced by shop.orders');
    expect(text).toContain('Shop-Inventory');
    expect(text).toContain('data.orderId');
    expect(text).toContain('example from the bus');
    await shot('catalog');
    expect(pageErrors).toEqual([]);
  });

  it('turns fault injection on and off with its button', async () => {
    await page.getByTestId('tab-faults').click();
    await page.getByTestId('faults-switch').filter({ hasText: 'on' }).click();
    await page
      .getByTestId('faults-message')
      .filter({ hasText: 'Fault injection is on.' })
      .waitFor();
    expect(shop.cloud.faults.enabled()).toBe(true);
    await page.getByTestId('faults-state').filter({ hasText: 'on' }).waitFor();
    await page.getByTestId('faults-switch').filter({ hasText: 'off' }).click();
    await page
      .getByTestId('faults-message')
      .filter({ hasText: 'Fault injection is off.' })
      .waitFor();
    expect(shop.cloud.faults.enabled()).toBe(false);
    expect(pageErrors).toEqual([]);
  });
});
