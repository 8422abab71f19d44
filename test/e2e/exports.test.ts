/**
 * Order exports end to end on the local cloud (asynchronous request-reply):
 * POST /exports acknowledged at once, the worker behind the queue, the status
 * polled to SUCCEEDED, the CSV downloaded by its presigned URL with no
 * credentials, and the Standard Webhooks callback retried after a 500.
 */
import { PutEventsCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningShop } from '../../harness/shop/index.js';
import {
  api,
  bootShop,
  clientConfig,
  deadLetters,
  eventually,
  orderStatus,
  placeOrder,
  settled,
  snapshot,
} from './shop.js';

let shop: RunningShop;
let receiver: Server;
let callbackUrl: string;
/** What the callback receiver got, in order; it answers 500 to the first POST, then 200. */
const received: { headers: Record<string, string>; body: string; answered: number }[] = [];

const windowStart = new Date(Date.now() - 60_000).toISOString();
const windowEnd = new Date(Date.now() + 3_600_000).toISOString();
const request = { from: windowStart, to: windowEnd, format: 'csv' };

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const answered = received.length === 0 ? 500 : 200;
      received.push({ headers: req.headers as Record<string, string>, body, answered });
      res.writeHead(answered).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/exports`;
  shop = await bootShop();
}, 240_000);

afterAll(async () => {
  await shop?.stop();
  receiver?.closeAllConnections();
  await new Promise((r) => receiver?.close(r));
});

/** Polls an export until it is finished, as a client following Retry-After would (faster). */
async function finished(exportId: string, as: 'ada' | 'admin' = 'ada') {
  return eventually(
    `export ${exportId} to finish`,
    async () => {
      const { body, headers } = await api(shop, 'GET', `/exports/${exportId}`, undefined, {}, as);
      if (body['status'] === 'PENDING' || body['status'] === 'RUNNING') {
        expect(headers.get('retry-after')).toBe('2');
        return undefined;
      }
      return body;
    },
    60_000,
  );
}

/** The rows of a CSV as RFC 4180 reads them (no quoted line breaks in these exports). */
const csvRows = (text: string) =>
  text
    .split('\r\n')
    .filter(Boolean)
    .map((line) => line.split(','));

/** The ExportRequested of an export, as its outbox row holds it: what a redelivery would carry. */
async function exportRequested(exportId: string) {
  const tables = await snapshot(shop);
  const orders = tables[shop.output('Shop-Orders', 'TableName')] as Record<string, unknown>[];
  const row = orders.find(
    (i) =>
      i['kind'] === 'outbox' &&
      i['detailType'] === 'ExportRequested' &&
      String(i['detail']).includes(exportId),
  );
  if (!row) throw new Error(`No ExportRequested outbox row for ${exportId}`);
  return String(row['detail']);
}

async function redeliver(detail: string) {
  const events = new EventBridgeClient(clientConfig(shop));
  try {
    const out = await events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: shop.output('Shop-Platform', 'EventBusName'),
            Source: 'shop.orders',
            DetailType: 'ExportRequested',
            Detail: detail,
          },
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(0);
  } finally {
    events.destroy();
  }
}

async function objectsUnder(prefix: string) {
  const s3 = new S3Client({ ...clientConfig(shop), forcePathStyle: true });
  try {
    const out = await s3.send(
      new ListObjectsV2Command({
        Bucket: shop.output('Shop-Orders', 'ExportsBucketName'),
        Prefix: prefix,
      }),
    );
    return (out.Contents ?? []).map((o) => o.Key);
  } finally {
    s3.destroy();
  }
}

describe('order exports, end to end', () => {
  let adaOrders: string[];
  let graceOrder: string;
  let exportId: string;
  let secret: string;
  let downloadUrl: string;
  let csv: string;

  it('orders by ada and grace are placed and confirmed', async () => {
    const a1 = await placeOrder(shop, [{ sku: 'MUG-001', quantity: 1 }]);
    const a2 = await placeOrder(shop, [
      { sku: 'TEE-002', quantity: 2 },
      { sku: 'MUG-001', quantity: 1 },
    ]);
    const g1 = await placeOrder(
      shop,
      [{ sku: 'MUG-001', quantity: 3 }],
      undefined,
      undefined,
      'grace',
    );
    adaOrders = [a1.orderId, a2.orderId];
    graceOrder = g1.orderId;
    for (const id of adaOrders) await orderStatus(shop, id, 'CONFIRMED');
    await orderStatus(shop, graceOrder, 'CONFIRMED', 'grace');
  });

  it('POST /exports answers 202 at once with a link, Location, Retry-After and a whsec_ secret', async () => {
    const res = await api(
      shop,
      'POST',
      '/exports',
      { ...request, callbackUrl },
      { 'idempotency-key': 'e2e-export-1' },
    );
    expect(res.status).toBe(202);
    exportId = String(res.body['exportId']);
    expect(exportId).toMatch(/^exp_[0-9a-f]{32}$/);
    expect(res.body).toMatchObject({ status: 'PENDING', links: { self: `/exports/${exportId}` } });
    expect(res.headers.get('location')).toBe(`/exports/${exportId}`);
    expect(res.headers.get('retry-after')).toBe('2');
    secret = String(res.body['callbackSecret']);
    expect(secret).toMatch(/^whsec_/);
  });

  it('the same Idempotency-Key and body get the same export; another body a 409', async () => {
    const again = await api(
      shop,
      'POST',
      '/exports',
      { ...request, callbackUrl },
      { 'idempotency-key': 'e2e-export-1' },
    );
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ exportId, callbackSecret: secret });
    const other = await api(shop, 'POST', '/exports', request, {
      'idempotency-key': 'e2e-export-1',
    });
    expect(other.status).toBe(409);
  });

  it('bad input is a 400 naming the field; scope "all" is for operators', async () => {
    const bad = await api(
      shop,
      'POST',
      '/exports',
      { ...request, to: windowStart },
      { 'idempotency-key': 'e2e-bad' },
    );
    expect(bad.status).toBe(400);
    expect((bad.body['fields'] as { field: string }[]).map((f) => f.field)).toContain('to');
    const http = await api(
      shop,
      'POST',
      '/exports',
      { ...request, callbackUrl: 'http://example.com/h' },
      { 'idempotency-key': 'e2e-bad-2' },
    );
    expect(http.status).toBe(400);
    const all = await api(
      shop,
      'POST',
      '/exports',
      { ...request, scope: 'all' },
      { 'idempotency-key': 'e2e-all' },
    );
    expect(all.status).toBe(403);
  });

  it('is polled to SUCCEEDED with rows, bytes and a download URL for 15 minutes', async () => {
    const done = await finished(exportId);
    expect(done).toMatchObject({ status: 'SUCCEEDED', rows: 2 });
    downloadUrl = String(done['downloadUrl']);
    const expiresIn = Date.parse(String(done['expiresAt'])) - Date.now();
    expect(expiresIn).toBeGreaterThan(14 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(15 * 60_000);
    expect(new URL(downloadUrl).searchParams.get('X-Amz-Expires')).toBe('900');
  });

  it("downloads without credentials: a CSV of exactly ada's orders in the window", async () => {
    const res = await fetch(downloadUrl);
    expect(res.status).toBe(200);
    csv = await res.text();
    const [header, ...rows] = csvRows(csv);
    expect(header).toEqual([
      'orderId',
      'customerId',
      'status',
      'placedAt',
      'amountCents',
      'currency',
      'lines',
      'cancellationReason',
    ]);
    expect(rows.map((r) => r[0]).sort()).toEqual([...adaOrders].sort());
    expect(csv).not.toContain(graceOrder);
    const second = rows.find((r) => r[0] === adaOrders[1])!;
    expect(second).toMatchObject({ 2: 'CONFIRMED', 4: String(2 * 2500 + 1200), 5: 'USD' });
    expect(second[6]).toMatch(/TEE-002 x 2/);
    expect(Number(res.headers.get('content-length') ?? Buffer.byteLength(csv))).toBe(
      Buffer.byteLength(csv),
    );
  });

  it('refuses a tampered URL with 403, as S3 does', async () => {
    const url = new URL(downloadUrl);
    const sig = url.searchParams.get('X-Amz-Signature')!;
    url.searchParams.set('X-Amz-Signature', `${sig.slice(0, -1)}${sig.endsWith('0') ? '1' : '0'}`);
    expect((await fetch(url)).status).toBe(403);
    const otherKey = new URL(downloadUrl);
    otherKey.pathname = otherKey.pathname.replace(exportId, `exp_${'0'.repeat(32)}`);
    expect((await fetch(otherKey)).status).toBe(403);
  });

  it('is a 404 to grace, and an operator sees it', async () => {
    const grace = await api(shop, 'GET', `/exports/${exportId}`, undefined, {}, 'grace');
    expect(grace.status).toBe(404);
    const admin = await api(shop, 'GET', `/exports/${exportId}`, undefined, {}, 'admin');
    expect(admin.body).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('calls back signed as Standard Webhooks, retried after a 500 with the same webhook-id', async () => {
    await eventually(
      'the callback to be retried after its 500',
      async () => (received.length >= 2 ? true : undefined),
      60_000,
    );
    const [first, second] = received as [(typeof received)[0], (typeof received)[0]];
    expect(first.answered).toBe(500);
    expect(second.answered).toBe(200);
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    for (const call of [first, second]) {
      const payload = new Webhook(secret).verify(call.body, call.headers);
      expect(payload).toMatchObject({
        type: 'export.succeeded',
        data: { exportId, status: 'SUCCEEDED', rows: 2, links: { self: `/exports/${exportId}` } },
      });
    }
    expect(() =>
      new Webhook(`whsec_${Buffer.from('not-the-secret-of-it-at-all').toString('base64')}`).verify(
        second.body,
        second.headers,
      ),
    ).toThrow();
  }, 70_000);

  it('a redelivered job leaves one file with the right count, also when it lands mid-export', async () => {
    // After the export finished: the job is a no-op.
    await redeliver(await exportRequested(exportId));
    // A second export, its job delivered again right away, while it runs.
    const res = await api(shop, 'POST', '/exports', request, { 'idempotency-key': 'e2e-export-2' });
    const second = String(res.body['exportId']);
    await redeliver(await exportRequested(second));
    await redeliver(await exportRequested(second));
    const done = await finished(second);
    expect(done).toMatchObject({ status: 'SUCCEEDED', rows: 2 });
    await settled(shop);

    const again = await finished(exportId);
    expect(again).toMatchObject({ status: 'SUCCEEDED', rows: 2, bytes: Buffer.byteLength(csv) });
    expect(await (await fetch(String(again['downloadUrl']))).text()).toBe(csv);
    const secondCsv = await (await fetch(String(done['downloadUrl']))).text();
    expect(
      csvRows(secondCsv)
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual([...adaOrders].sort());
    const ada = String(new URL(downloadUrl).pathname.split('/').at(-2));
    expect((await objectsUnder(`exports/${ada}/`)).sort()).toEqual(
      [`exports/${ada}/${exportId}.csv`, `exports/${ada}/${second}.csv`].sort(),
    );
    // No callback for the export without one, and still one delivered for the first.
    expect(received.filter((r) => r.answered === 200)).toHaveLength(1);
    const dlqs = await deadLetters(shop);
    expect(
      Object.values(dlqs).every((n) => n === 0),
      JSON.stringify(dlqs),
    ).toBe(true);
  }, 90_000);
});
