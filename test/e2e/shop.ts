/** The running shop for end-to-end tests: one per test file, on free ports. */
import { DynamoDBClient, ListTablesCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { GetQueueAttributesCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { carrierSignature } from '../../harness/carrier/sign.js';
import { startShop, type RunningShop } from '../../harness/shop/index.js';
import type { DemoUserName } from '../../harness/shop/sign-in.js';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export async function bootShop(options: { orderDeadline?: string } = {}): Promise<RunningShop> {
  const { orderDeadline } = options;
  return startShop({
    root,
    // Its own assembly: the provider's port is in the template, and `npm start` keeps cdk.out.
    // Another deadline is another template: its own folder, so test files never synth over each other.
    cdkOut: join(
      root,
      '.local',
      orderDeadline ? `cdk.out.e2e-deadline-${orderDeadline}` : 'cdk.out.e2e',
    ),
    orderDeadline,
    port: 0,
    apiPort: 0,
    providerPort: 0,
    log: () => undefined,
    functionLog: () => undefined,
  });
}

export const clientConfig = (shop: RunningShop) => ({
  endpoint: shop.endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

export interface Reply {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/**
 * One HTTP API call as a demo user (by default the customer ada; `admin` is
 * the operator), with their bearer token; `null` sends no token.
 */
export async function api(
  shop: RunningShop,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  as: DemoUserName | null = 'ada',
): Promise<Reply> {
  const authorization =
    as === null ? {} : { authorization: `Bearer ${await shop.signIn.token(as)}` };
  const res = await fetch(`${shop.apiUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...authorization, ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {}, headers: res.headers };
}

/** Polls until `check` answers a value, or fails naming what it waited for and the last answer. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  ms = 20_000,
): Promise<T> {
  const until = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > until) {
      throw new Error(
        `Timed out after ${ms} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const address = {
  name: 'Ada Lovelace',
  line1: '12 Analytical St',
  city: 'London',
  postalCode: 'N1 9GU',
  country: 'GB',
};

let keys = 0;
export async function placeOrder(
  shop: RunningShop,
  lines: { sku: string; quantity: number }[],
  paymentToken = 'tok_approve',
  key = `e2e-${process.pid}-${Date.now()}-${++keys}`,
  as: DemoUserName = 'ada',
): Promise<Reply & { orderId: string }> {
  // The customer is the token's subject, never a body field.
  const reply = await api(
    shop,
    'POST',
    '/orders',
    { lines, paymentToken, shippingAddress: address },
    { 'idempotency-key': key },
    as,
  );
  return { ...reply, orderId: String(reply.body['orderId']) };
}

export async function orderStatus(
  shop: RunningShop,
  orderId: string,
  status: string,
  as: DemoUserName = 'ada',
) {
  return eventually(`order ${orderId} to be ${status}`, async () => {
    const { body } = await api(shop, 'GET', `/orders/${orderId}`, undefined, {}, as);
    return body['status'] === status ? body : undefined;
  });
}

export async function product(shop: RunningShop, sku: string) {
  return (await api(shop, 'GET', `/products/${sku}`)).body as {
    available: number;
    reserved: number;
  };
}

export async function newProduct(
  shop: RunningShop,
  sku: string,
  priceCents: number,
  stock: number,
) {
  const put = await api(
    shop,
    'PUT',
    `/products/${sku}`,
    { name: `Test ${sku}`, priceCents },
    {},
    'admin',
  );
  if (put.status >= 300)
    throw new Error(`PUT /products/${sku}: ${put.status} ${JSON.stringify(put.body)}`);
  if (stock > 0) {
    const restock = await api(
      shop,
      'POST',
      `/products/${sku}/restock`,
      { quantity: stock },
      {},
      'admin',
    );
    if (restock.status >= 300) throw new Error(`restock ${sku}: ${restock.status}`);
  }
}

export async function carrier(
  shop: RunningShop,
  shipmentId: string,
  type: 'DISPATCHED' | 'DELIVERED',
  secret = shop.webhookSecret,
) {
  const body = JSON.stringify({
    eventId: `carrier-${shipmentId}-${type}`,
    type,
    carrier: 'ACME Parcel',
    trackingNumber: 'TRK-0001',
    occurredAt: new Date().toISOString(),
  });
  const path = `/shipments/${shipmentId}/events`;
  return api(
    shop,
    'POST',
    path,
    body,
    { 'x-carrier-signature': carrierSignature(secret, { method: 'POST', path, body }) },
    null,
  );
}

/** Every item of every table, by table, sorted: the whole state of the shop. */
export async function snapshot(shop: RunningShop): Promise<Record<string, unknown[]>> {
  const ddb = new DynamoDBClient(clientConfig(shop));
  const out: Record<string, unknown[]> = {};
  try {
    const { TableNames = [] } = await ddb.send(new ListTablesCommand({}));
    for (const table of TableNames) {
      const items: Record<string, unknown>[] = [];
      let start: Record<string, never> | undefined;
      do {
        const page = await ddb.send(
          new ScanCommand({ TableName: table, ExclusiveStartKey: start, ConsistentRead: true }),
        );
        items.push(...(page.Items ?? []).map((i) => unmarshall(i)));
        start = page.LastEvaluatedKey as never;
      } while (start);
      out[table] = items.sort((a, b) => String(a['pk']).localeCompare(String(b['pk'])));
    }
  } finally {
    ddb.destroy();
  }
  return out;
}

/** Waits until every queue is empty (nothing visible or in flight) for a while in a row. */
export async function settled(shop: RunningShop, quietMs = 1500): Promise<void> {
  const sqs = new SQSClient(clientConfig(shop));
  try {
    let quietSince = Date.now();
    await eventually(
      'every queue to drain',
      async () => {
        const { QueueUrls = [] } = await sqs.send(new ListQueuesCommand({}));
        for (const url of QueueUrls) {
          if (/dlq|deadletter/i.test(url)) continue;
          const { Attributes = {} } = await sqs.send(
            new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
          );
          const busy =
            Number(Attributes.ApproximateNumberOfMessages) +
            Number(Attributes.ApproximateNumberOfMessagesNotVisible) +
            Number(Attributes.ApproximateNumberOfMessagesDelayed);
          if (busy > 0) {
            quietSince = Date.now();
            return undefined;
          }
        }
        return Date.now() - quietSince >= quietMs ? true : undefined;
      },
      60_000,
    );
  } finally {
    sqs.destroy();
  }
}

/** Depth of every dead-letter queue. */
export async function deadLetters(shop: RunningShop): Promise<Record<string, number>> {
  const sqs = new SQSClient(clientConfig(shop));
  try {
    const { QueueUrls = [] } = await sqs.send(new ListQueuesCommand({}));
    const out: Record<string, number> = {};
    for (const url of QueueUrls.filter((u) => /dlq|deadletter/i.test(u))) {
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      out[url.split('/').pop()!] =
        Number(Attributes.ApproximateNumberOfMessages) +
        Number(Attributes.ApproximateNumberOfMessagesNotVisible);
    }
    return out;
  } finally {
    sqs.destroy();
  }
}
