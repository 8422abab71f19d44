import type { RunningShop } from '../harness/shop/index.js';
import { startBenchShop } from './lib/shop.js';
import {
  fromRounds,
  latencyRows,
  type Row,
  ratios,
  now,
  type Benchmark,
} from '@shop/local-cloud/bench';

const address = {
  name: 'Bench',
  line1: '1 Loop St',
  city: 'Testville',
  postalCode: '1',
  country: 'US',
};

interface Round {
  acceptedPerSec: number;
  confirmedPerSec: number;
  toConfirmedMs: number[];
}

/** Places `orders` orders, `concurrency` at a time, and waits until every one is CONFIRMED. */
async function round(
  shop: RunningShop,
  tag: string,
  orders: number,
  concurrency: number,
): Promise<Round> {
  const since = await lastSeq(shop);
  const placedAt = new Map<string, number>();
  const started = now();
  let next = 0;
  // The customer is the token's subject: the demo customer ada.
  const authorization = `Bearer ${await shop.signIn.token('ada')}`;
  const worker = async () => {
    while (next < orders) {
      const i = next++;
      const t = now();
      const res = await fetch(`${shop.apiUrl}/orders`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization,
          'idempotency-key': `${tag}-${i}`,
        },
        body: JSON.stringify({
          lines: [{ sku: 'BENCH-1', quantity: 1 }],
          paymentToken: 'tok_approve',
          shippingAddress: address,
        }),
      });
      const body = (await res.json()) as { orderId?: string };
      if (res.status !== 202 || !body.orderId)
        throw new Error(`POST /orders answered ${res.status}`);
      placedAt.set(body.orderId, t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const acceptedSec = (now() - started) / 1000;

  // The bus's own log says when each OrderConfirmed was accepted: no polling of the API.
  const confirmedAt = new Map<string, number>();
  const deadline = Date.now() + 120_000;
  while (confirmedAt.size < placedAt.size) {
    if (Date.now() > deadline)
      throw new Error(`only ${confirmedAt.size}/${placedAt.size} orders confirmed in 120 s`);
    await new Promise((r) => setTimeout(r, 200));
    const res = await fetch(`${shop.endpoint}/_local/events?since=${since}`);
    const log = (await res.json()) as {
      events: {
        receivedAt: string;
        event: { 'detail-type': string; detail: { data: { orderId: string } } };
      }[];
    };
    for (const e of log.events) {
      if (e.event['detail-type'] !== 'OrderConfirmed') continue;
      const id = e.event.detail.data.orderId;
      if (placedAt.has(id) && !confirmedAt.has(id)) confirmedAt.set(id, Date.parse(e.receivedAt));
    }
  }
  const wallStart = performance.timeOrigin + started;
  const lastConfirmed = Math.max(...confirmedAt.values());
  return {
    acceptedPerSec: orders / acceptedSec,
    confirmedPerSec: orders / ((lastConfirmed - wallStart) / 1000),
    toConfirmedMs: [...confirmedAt].map(
      ([id, at]) => at - (performance.timeOrigin + placedAt.get(id)!),
    ),
  };
}

/** The sequence number of the newest event on the bus log, so a round reads only its own. */
async function lastSeq(shop: RunningShop): Promise<number> {
  const res = await fetch(`${shop.endpoint}/_local/events`);
  return ((await res.json()) as { lastSeq: number }).lastSeq;
}

export const sagaBenchmark: Benchmark = {
  name: 'saga',
  description:
    'orders/second and time from POST /orders to OrderConfirmed, through the whole shop on the local cloud',
  async run(ctx) {
    const rounds = ctx.quick ? 2 : 4;
    const orders = ctx.quick ? 20 : 60;
    ctx.log('saga: booting the shop (synthesizes into .local/cdk.out.bench when the app changed)');
    const shop = await startBenchShop();
    try {
      // Catalog writes need an operator.
      const operator = {
        'content-type': 'application/json',
        authorization: `Bearer ${await shop.signIn.token('admin')}`,
      };
      const put = await fetch(`${shop.apiUrl}/products/BENCH-1`, {
        method: 'PUT',
        headers: operator,
        body: JSON.stringify({ name: 'Bench item', priceCents: 100 }),
      });
      if (put.status >= 300) throw new Error(`PUT /products/BENCH-1 answered ${put.status}`);
      await fetch(`${shop.apiUrl}/products/BENCH-1/restock`, {
        method: 'POST',
        headers: operator,
        body: JSON.stringify({ quantity: 1_000_000 }),
      });
      await round(shop, 'warm', 5, 1); // cold starts out of the figures

      const serial: Round[] = [];
      const parallel: Round[] = [];
      for (let i = 0; i < rounds; i++) {
        ctx.log(
          `saga: round ${i + 1}/${rounds} (${orders} orders at concurrency 1 and 8, alternating)`,
        );
        for (const c of i % 2 === 0 ? [1, 8] : [8, 1]) {
          const r = await round(shop, `r${i}c${c}`, orders, c);
          (c === 1 ? serial : parallel).push(r);
        }
      }
      const rows: Row[] = [
        fromRounds(
          'accepted, concurrency 1',
          serial.map((r) => r.acceptedPerSec),
          'orders/s',
        ),
        fromRounds(
          'accepted, concurrency 8',
          parallel.map((r) => r.acceptedPerSec),
          'orders/s',
        ),
        fromRounds(
          'confirmed, concurrency 1',
          serial.map((r) => r.confirmedPerSec),
          'orders/s',
        ),
        fromRounds(
          'confirmed, concurrency 8',
          parallel.map((r) => r.confirmedPerSec),
          'orders/s',
        ),
        fromRounds(
          'confirmed/s ratio 8 ÷ 1',
          ratios(
            parallel.map((r) => r.confirmedPerSec),
            serial.map((r) => r.confirmedPerSec),
          ),
          '×',
        ),
        ...latencyRows(
          'POST to OrderConfirmed, concurrency 1',
          serial.map((r) => r.toConfirmedMs),
        ),
        ...latencyRows(
          'POST to OrderConfirmed, concurrency 8',
          parallel.map((r) => r.toConfirmedMs),
        ),
      ];
      return {
        name: 'saga',
        rows,
        notes: [
          `${orders} orders per round; each crosses orders -> inventory -> payments -> orders: 3 outbox publications, 3 queue hops, a provider call`,
          'time to confirmed is measured to when the bus accepted OrderConfirmed (its event log), not by polling the API',
          'the shoppers, the local cloud, DynamoDB Local and every function share the same two cores',
        ],
      };
    } finally {
      await shop.stop();
    }
  },
};
