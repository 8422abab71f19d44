import { availableParallelism } from 'node:os';
import type { RunningShop } from '../harness/shop/index.js';
import { apiCallsPerOrder, callDelta } from './cost/meter.js';
import { startBenchShop } from './lib/shop.js';
import {
  descendantCpuMs,
  fromRounds,
  latencyRows,
  type Row,
  ratios,
  now,
  sleep,
  type Benchmark,
} from '@shop/local-cloud/bench';

const address = {
  name: 'Bench',
  line1: '1 Loop St',
  city: 'Testville',
  postalCode: '1',
  country: 'US',
};

/** How often the one-at-a-time client asks for its order, as a client polling the status would. */
const POLL_MS = 20;
/** The shoppers of the throughput rounds, as the goal is stated (settled orders/s at 10). */
const SHOPPERS = 10;

interface Shopper {
  readonly shop: RunningShop;
  readonly authorization: string;
}

async function place(s: Shopper, key: string): Promise<string> {
  const res = await fetch(`${s.shop.apiUrl}/orders`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: s.authorization,
      'idempotency-key': key,
    },
    body: JSON.stringify({
      lines: [{ sku: 'BENCH-1', quantity: 1 }],
      paymentToken: 'tok_approve',
      shippingAddress: address,
    }),
  });
  const body = (await res.json()) as { orderId?: string };
  if (res.status !== 202 || !body.orderId) throw new Error(`POST /orders answered ${res.status}`);
  return body.orderId;
}

/**
 * One order at a time, as a client sees it: POST /orders, then GET /orders/{id} every POLL_MS
 * until it reads CONFIRMED; the next order only after that. Yields each order's time.
 */
async function oneAtATime(s: Shopper, tag: string, orders: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < orders; i++) {
    const started = now();
    const id = await place(s, `${tag}-${i}`);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await fetch(`${s.shop.apiUrl}/orders/${id}`, {
        headers: { authorization: s.authorization },
      });
      const { status } = (await res.json()) as { status?: string };
      if (status === 'CONFIRMED') break;
      if (status === 'CANCELLED') throw new Error(`order ${id} was cancelled, not confirmed`);
      if (Date.now() > deadline) throw new Error(`order ${id} not confirmed within 30 s`);
      await sleep(POLL_MS);
    }
    times.push(now() - started);
  }
  return times;
}

interface LoadRound {
  acceptedPerSec: number;
  confirmedPerSec: number;
  toConfirmedMs: number[];
  /** CPU of this process (cloud, functions' workers, shoppers) and of the JVM, per order. */
  nodeCpuMsPerOrder: number;
  /** Of which this process's main thread: the local cloud's own work, and the shoppers'. */
  mainCpuMsPerOrder: number;
  jvmCpuMsPerOrder: number | undefined;
  apiCallsPerOrder: number;
}

/** SHOPPERS place `orders` orders back to back; the round ends when all are CONFIRMED. */
async function underLoad(s: Shopper, tag: string, orders: number): Promise<LoadRound> {
  const { shop } = s;
  const since = await lastSeq(shop);
  const callsBefore = shop.cloud.context.recorder.metrics().calls;
  const cpuBefore = process.cpuUsage();
  const mainBefore = process.threadCpuUsage();
  const jvmBefore = descendantCpuMs('java');
  const placedAt = new Map<string, number>();
  const started = now();
  let next = 0;
  const shopper = async () => {
    while (next < orders) {
      const i = next++;
      const t = now();
      placedAt.set(await place(s, `${tag}-${i}`), t);
    }
  };
  await Promise.all(Array.from({ length: SHOPPERS }, shopper));
  const acceptedSec = (now() - started) / 1000;

  // The bus's own log says when each OrderConfirmed was accepted: no polling of the API.
  const confirmedAt = new Map<string, number>();
  const deadline = Date.now() + 120_000;
  while (confirmedAt.size < placedAt.size) {
    if (Date.now() > deadline)
      throw new Error(`only ${confirmedAt.size}/${placedAt.size} orders confirmed in 120 s`);
    await sleep(100);
    for (const e of shop.cloud.context.recorder.events({ since })) {
      if (e.event['detail-type'] !== 'OrderConfirmed') continue;
      const id = (e.event['detail'] as { data: { orderId: string } }).data.orderId;
      if (placedAt.has(id) && !confirmedAt.has(id)) confirmedAt.set(id, Date.parse(e.receivedAt));
    }
  }
  const cpu = process.cpuUsage(cpuBefore);
  const main = process.threadCpuUsage(mainBefore);
  const jvmAfter = descendantCpuMs('java');
  const wallStart = performance.timeOrigin + started;
  const lastConfirmed = Math.max(...confirmedAt.values());
  return {
    acceptedPerSec: orders / acceptedSec,
    confirmedPerSec: orders / ((lastConfirmed - wallStart) / 1000),
    toConfirmedMs: [...confirmedAt].map(
      ([id, at]) => at - (performance.timeOrigin + placedAt.get(id)!),
    ),
    nodeCpuMsPerOrder: (cpu.user + cpu.system) / 1000 / orders,
    mainCpuMsPerOrder: (main.user + main.system) / 1000 / orders,
    jvmCpuMsPerOrder:
      jvmBefore === undefined || jvmAfter === undefined
        ? undefined
        : (jvmAfter - jvmBefore) / orders,
    apiCallsPerOrder:
      apiCallsPerOrder(callDelta(callsBefore, shop.cloud.context.recorder.metrics().calls)) /
      orders,
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
    'time from POST /orders to CONFIRMED one order at a time, and orders/second with 10 shoppers, through the whole shop on the local cloud',
  async run(ctx) {
    const rounds = ctx.quick ? 2 : 4;
    const serialOrders = ctx.quick ? 10 : 25;
    const loadOrders = ctx.quick ? 40 : 100;
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
      // The customer is the token's subject: the demo customer ada.
      const s: Shopper = { shop, authorization: `Bearer ${await shop.signIn.token('ada')}` };
      // Cold starts out of the figures: a worker for each concurrent invocation of the load.
      await underLoad(s, 'warm', SHOPPERS * 2);
      await oneAtATime(s, 'warm1', 3);

      const serial: number[][] = [];
      const loaded: LoadRound[] = [];
      for (let i = 0; i < rounds; i++) {
        ctx.log(
          `saga: round ${i + 1}/${rounds} (${serialOrders} orders one at a time, ${loadOrders} by ${SHOPPERS} shoppers; alternating)`,
        );
        const one = () => oneAtATime(s, `r${i}s`, serialOrders).then((t) => void serial.push(t));
        const load = () => underLoad(s, `r${i}c`, loadOrders).then((r) => void loaded.push(r));
        if (i % 2 === 0) await one().then(load);
        else await load().then(one);
      }
      const cores = availableParallelism();
      const cpuPerOrder = loaded.map((r) => r.nodeCpuMsPerOrder + (r.jvmCpuMsPerOrder ?? 0));
      const rows: Row[] = [
        ...latencyRows('POST to CONFIRMED, one at a time, as the client polls', serial),
        fromRounds(
          `accepted, ${SHOPPERS} shoppers`,
          loaded.map((r) => r.acceptedPerSec),
          'orders/s',
        ),
        fromRounds(
          `confirmed, ${SHOPPERS} shoppers`,
          loaded.map((r) => r.confirmedPerSec),
          'orders/s',
        ),
        ...latencyRows(
          `POST to OrderConfirmed, ${SHOPPERS} shoppers`,
          loaded.map((r) => r.toConfirmedMs),
        ),
        fromRounds(
          'CPU per confirmed order: this process (cloud, workers, shoppers)',
          loaded.map((r) => r.nodeCpuMsPerOrder),
          'ms',
        ),
        fromRounds(
          '  of which its main thread (the local cloud itself, the shoppers)',
          loaded.map((r) => r.mainCpuMsPerOrder),
          'ms',
        ),
        fromRounds(
          "  of which the functions' worker threads",
          loaded.map((r) => r.nodeCpuMsPerOrder - r.mainCpuMsPerOrder),
          'ms',
        ),
        ...(loaded.every((r) => r.jvmCpuMsPerOrder !== undefined)
          ? [
              fromRounds(
                'CPU per confirmed order: DynamoDB Local JVM',
                loaded.map((r) => r.jvmCpuMsPerOrder!),
                'ms',
              ),
            ]
          : []),
        fromRounds(
          `ceiling at that CPU: ${cores} cores ÷ CPU per order`,
          cpuPerOrder.map((ms) => (cores * 1000) / ms),
          'orders/s',
        ),
        fromRounds(
          'confirmed ÷ ceiling',
          ratios(
            loaded.map((r) => r.confirmedPerSec),
            cpuPerOrder.map((ms) => (cores * 1000) / ms),
          ),
          '×',
        ),
        fromRounds(
          `AWS API calls per order, ${SHOPPERS} shoppers`,
          loaded.map((r) => r.apiCallsPerOrder),
          'calls',
        ),
      ];
      return {
        name: 'saga',
        rows,
        notes: [
          `one at a time: POST /orders, then GET /orders/{id} every ${POLL_MS} ms until CONFIRMED, then the next order (${serialOrders} a round)`,
          `${SHOPPERS} shoppers: each places its next order as soon as the last is accepted (${loadOrders} a round); OrderConfirmed read from the bus's event log, not by polling`,
          'an order crosses orders -> inventory -> payments -> orders: 3 outbox publications, 3 queue hops, a provider call; views, shipping and notifications react meanwhile',
          'CPU is counted over the round: user + system time of this process (all its threads) and of the JVM (/proc); the ceiling is the rate at which that work would fill every core',
          "API calls: the functions' own through the edge (the in-process pollers' receives and deletes, stream reads and deliveries left out, as in the cost benchmark)",
          'the shoppers, the local cloud, DynamoDB Local and every function share the same cores',
        ],
      };
    } finally {
      await shop.stop();
    }
  },
};
