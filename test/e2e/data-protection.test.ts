/**
 * Data protection end to end (docs/adr/0014-data-protection.md): after orders
 * with a distinctive address run to CONFIRMED, the payment token and the
 * address are nowhere in clear (bus, archive, queues and DLQs, the services'
 * tables, the functions' logs), yet the provider was charged with the real
 * token and the customer's shipment shows the address.
 */
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  DescribeReplayCommand,
  EventBridgeClient,
  ListArchivesCommand,
  StartReplayCommand,
} from '@aws-sdk/client-eventbridge';
import { ListQueuesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningShop } from '../../harness/shop/index.js';
import { DEMO_USERS, IDENTITY_STACK, signInName } from '../../harness/shop/users.js';
import { api, bootShop, clientConfig, eventually, newProduct, settled, snapshot } from './shop.js';

let shop: RunningShop;
let bearer: string;
const windowStart = new Date(Date.now() - 60_000);
const run = `${process.pid}-${Date.now()}`;
const TOKEN = 'tok_approve'; // the simulator approves only its test tokens
const address = {
  name: `Zephyrine Quillfeather ${run}`,
  line1: `77 Obscurity Lane ${run}`,
  city: 'Vexhampton',
  postalCode: 'QX9 7ZZ',
  country: 'GB',
};
const CLEAR = [TOKEN, address.name, address.line1, 'Vexhampton', 'QX9 7ZZ'];

/** The clear values found in `where`, as `what: value`. */
const leaks = (what: string, where: unknown) => {
  const text = typeof where === 'string' ? where : JSON.stringify(where);
  return CLEAR.filter((v) => text.includes(v)).map((v) => `${what}: ${v}`);
};

/** A signed-in demo customer's bearer token from the local user pool. */
async function signIn(): Promise<string> {
  const cognito = new CognitoIdentityProviderClient(clientConfig(shop));
  try {
    const user = DEMO_USERS.find((u) => u.groups.length === 0)!;
    const poolId = shop.output(IDENTITY_STACK, 'UserPoolId');
    const out = await cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: shop.output(IDENTITY_STACK, 'UserPoolClientId'),
        AuthParameters: {
          USERNAME: await signInName(cognito, poolId, user),
          PASSWORD: user.password,
        },
      }),
    );
    return out.AuthenticationResult!.AccessToken!;
  } finally {
    cognito.destroy();
  }
}

const authorized = () => ({ authorization: `Bearer ${bearer}` });

beforeAll(async () => {
  shop = await bootShop();
  bearer = await signIn();
}, 240_000);

afterAll(async () => {
  await shop?.stop();
});

describe('personal data at rest and in transit', () => {
  const orderIds: string[] = [];

  it('orders run to CONFIRMED; the provider charged the real token; the shipment shows the address', async () => {
    const sku = `E2E-PII-${process.pid}`;
    await newProduct(shop, sku, 1000, 10);
    for (let i = 0; i < 2; i++) {
      const placed = await api(
        shop,
        'POST',
        '/orders',
        { lines: [{ sku, quantity: 1 }], paymentToken: TOKEN, shippingAddress: address },
        { 'idempotency-key': `pii-${run}-${i}`, ...authorized() },
      );
      expect(placed.status, JSON.stringify(placed.body)).toBe(202);
      orderIds.push(String(placed.body['orderId']));
    }
    for (const orderId of orderIds) {
      const order = await eventually(`order ${orderId} CONFIRMED`, async () => {
        const { body } = await api(shop, 'GET', `/orders/${orderId}`, undefined, authorized());
        return body['status'] === 'CONFIRMED' ? body : undefined;
      });
      expect(order).toMatchObject({ shippingAddressOnFile: true });
      expect(leaks('GET /orders', order)).toEqual([]);
      // Only tok_approve is approved: an authorized charge means the provider got the clear token.
      const ledger = (await (await fetch(`${shop.providerUrl}/_ledger`)).json()) as {
        orders: Record<string, { charged_cents: number; charges: number }>;
      };
      expect(ledger.orders[orderId]).toMatchObject({ charged_cents: 1000, charges: 1 });
      const shipment = await eventually(`shipment of ${orderId}`, async () => {
        const s = await api(shop, 'GET', `/shipments/shp_${orderId}`, undefined, authorized());
        return s.status === 200 ? s.body : undefined;
      });
      expect(shipment['shippingAddress']).toEqual(address);
    }
  });

  it('no event the bus recorded, nor the archive replayed, holds the token or the address', async () => {
    await settled(shop);
    const bus = new EventBridgeClient(clientConfig(shop));
    try {
      const { Archives = [] } = await bus.send(new ListArchivesCommand({}));
      const archive = Archives[0]!;
      const ReplayName = `pii-${process.pid}`;
      await bus.send(
        new StartReplayCommand({
          ReplayName,
          EventSourceArn: `arn:aws:events:us-east-1:000000000000:archive/${archive.ArchiveName}`,
          EventStartTime: windowStart,
          EventEndTime: new Date(),
          Destination: { Arn: archive.EventSourceArn! },
        }),
      );
      await eventually('the replay to complete', async () => {
        const r = await bus.send(new DescribeReplayCommand({ ReplayName }));
        if (r.State === 'FAILED') throw new Error(`replay failed: ${r.StateReason}`);
        return r.State === 'COMPLETED' ? r : undefined;
      });
      const log = (await (await fetch(`${shop.endpoint}/_local/events`)).json()) as {
        events: { event: { 'detail-type': string; 'replay-name'?: string; detail: unknown } }[];
      };
      const ours = log.events.filter((e) => orderIds.some((id) => JSON.stringify(e).includes(id)));
      const types = new Set(ours.map((e) => e.event['detail-type']));
      for (const t of ['OrderPlaced', 'StockReserved', 'OrderConfirmed', 'ShipmentScheduled'])
        expect(types).toContain(t);
      expect(ours.filter((e) => e.event['replay-name'] === ReplayName).length).toBeGreaterThan(0);
      expect(leaks('bus', log)).toEqual([]);
      const placed = ours.find((e) => e.event['detail-type'] === 'OrderPlaced')!;
      expect(JSON.stringify(placed.event.detail)).toMatch(/"paymentTokenCiphertext":"pii:v1:/);
    } finally {
      bus.destroy();
    }
    await settled(shop);
    // A replay of the whole window, then every queue quiet again: each replayed event now
    // also crosses the read model's two queues.
  }, 90_000);

  it('no queue or dead-letter queue holds them', async () => {
    const sqs = new SQSClient(clientConfig(shop));
    try {
      const { QueueUrls = [] } = await sqs.send(new ListQueuesCommand({}));
      expect(QueueUrls.length).toBeGreaterThan(0);
      const found: string[] = [];
      for (const QueueUrl of QueueUrls) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl,
            MaxNumberOfMessages: 10,
            VisibilityTimeout: 0,
            WaitTimeSeconds: 0,
          }),
        );
        found.push(...leaks(QueueUrl, Messages));
      }
      expect(found).toEqual([]);
    } finally {
      sqs.destroy();
    }
  });

  it('no table holds them: orders, inventory, payments and shipping keep ciphertext only', async () => {
    const tables = await snapshot(shop);
    const names = Object.keys(tables);
    for (const service of ['orders', 'inventory', 'payments', 'shipping'])
      expect(
        names.some((n) => n.toLowerCase().includes(service)),
        names.join(', '),
      ).toBe(true);
    expect(Object.entries(tables).flatMap(([table, items]) => leaks(table, items))).toEqual([]);
  });

  it("no function's log holds them", async () => {
    const logs = new CloudWatchLogsClient(clientConfig(shop));
    try {
      const { logGroups = [] } = await logs.send(new DescribeLogGroupsCommand({}));
      expect(logGroups.length).toBeGreaterThan(0);
      const found: string[] = [];
      let lines = 0;
      for (const { logGroupName } of logGroups) {
        let nextToken: string | undefined;
        do {
          const page = await logs.send(
            new FilterLogEventsCommand({
              logGroupName,
              nextToken,
              startTime: windowStart.getTime(),
            }),
          );
          lines += page.events?.length ?? 0;
          found.push(...leaks(logGroupName!, page.events?.map((e) => e.message) ?? []));
          nextToken = page.nextToken;
        } while (nextToken);
      }
      expect(lines).toBeGreaterThan(0);
      expect(found).toEqual([]);
    } finally {
      logs.destroy();
    }
  });
});
