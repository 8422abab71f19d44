import { single, type Benchmark, type Row } from '@shop/local-cloud/bench';
import { startBenchShop } from './lib/shop.js';
import { KIND_DESCRIPTIONS, ORDER_KINDS, OrderDriver, type OrderKind } from './cost/drive.js';
import { apiCallsPerOrder, UsageMeter } from './cost/meter.js';
import { byService, costLines, totalPerMillion, type CostLine } from './cost/model.js';
import { PRICES, PRICES_AS_OF, REGION, XRAY_SAMPLED_SHARE } from './cost/prices-us-east-1.js';

/** The share of each journey in the "typical mix" line; the happy path is `completed` alone. */
const MIX: Record<OrderKind, number> = {
  completed: 0.8,
  confirmed: 0.05,
  cancelled: 0.06,
  declined: 0.05,
  'out-of-stock': 0.04,
};

const SQS_POLLERS_PER_QUEUE = 5;
const LONG_POLL_SECONDS = 20;
const SECONDS_PER_MONTH = 30 * 24 * 3600;

const fmt = (usd: number) => `$${usd.toFixed(usd < 1 ? 3 : 2)}`;

/**
 * What an order costs on AWS, derived from what the local shop did for it: DynamoDB request
 * units as DynamoDB Local computed them, billed Lambda duration times configured memory, the
 * events, queue requests, HTTP requests and log bytes it caused, priced from a dated table.
 */
export const costBenchmark: Benchmark = {
  name: 'cost',
  description: `US dollars per million orders on AWS (${REGION} list prices of ${PRICES_AS_OF}), per journey and per service, from the work the local shop measured`,
  async run(ctx) {
    const perKind = ctx.quick ? 5 : 20;
    const meter = new UsageMeter();
    ctx.log('cost: booting the shop (synthesizes into .local/cdk.out.bench when the app changed)');
    const shop = await startBenchShop({ onInvocation: meter.onInvocation });
    try {
      meter.attach(shop);
      const driver = new OrderDriver(shop, meter);
      await driver.setUp();
      ctx.log('cost: one order of each kind first, so cold starts stay out of the figures');
      for (const kind of ORDER_KINDS) await driver.run(kind);
      await driver.quiet();

      const rows: Row[] = [];
      const notes: string[] = [];
      const lines = new Map<OrderKind, CostLine[]>();
      let happyCalls = 0;
      for (const kind of ORDER_KINDS) {
        ctx.log(`cost: ${perKind} orders ${kind} (${KIND_DESCRIPTIONS[kind]})`);
        const before = meter.read();
        for (let i = 0; i < perKind; i++) await driver.run(kind);
        await driver.quiet();
        const usage = meter.usage(before, meter.read(), perKind);
        const bill = costLines(usage, 'arm64');
        lines.set(kind, bill);
        rows.push(single(`${kind}: per million orders`, totalPerMillion(bill), 'USD'));
        if (kind === 'completed') {
          happyCalls = apiCallsPerOrder(usage.calls);
          rows.push(
            single('completed: same on x86_64', totalPerMillion(costLines(usage, 'x86_64')), 'USD'),
          );
          for (const [service, usd] of byService(bill)) {
            rows.push(single(`completed: ${service}`, usd, 'USD per million'));
          }
          for (const l of bill) {
            if (l.units > 0) rows.push(single(`completed, per order: ${l.item}`, l.units, l.unit));
          }
          rows.push(single('completed, per order: AWS API calls', happyCalls, 'calls'));
          const calls = Object.entries(usage.calls)
            .flatMap(([s, a]) => Object.entries(a).map(([k, v]) => `${s}.${k} ${v.toFixed(1)}`))
            .join(', ');
          notes.push(`completed order's calls through the local cloud, per order: ${calls}`);
          const tables = Object.entries(usage.tables)
            .filter(([, u]) => u.read + u.write > 0)
            .sort((a, b) => b[1].write - a[1].write)
            .map(([t, u]) => `${t} ${u.write.toFixed(1)} WRU ${u.read.toFixed(1)} RRU`)
            .join(', ');
          notes.push(`completed order's request units by table, per order: ${tables}`);
          const logs = Object.entries(usage.logGroups)
            .sort((a, b) => b[1] - a[1])
            .slice(0, 6)
            .map(([g, b]) => `${g} ${(b / 1024).toFixed(1)} KB`)
            .join(', ');
          notes.push(`completed order's log bytes, largest groups, per order: ${logs}`);
        }
      }
      const mixed = ORDER_KINDS.reduce(
        (sum, kind) => sum + MIX[kind] * totalPerMillion(lines.get(kind)!),
        0,
      );
      rows.push(single('typical mix: per million orders', mixed, 'USD'));

      const sqsQueues = shop.app.mappings.filter((m) => m.kind === 'sqs').length;
      const idleSqs =
        ((sqsQueues * SQS_POLLERS_PER_QUEUE * SECONDS_PER_MONTH) / LONG_POLL_SECONDS) *
        (PRICES.sqsRequest.usd / PRICES.sqsRequest.per);
      rows.push(single(`idle: empty long polls of ${sqsQueues} queues`, idleSqs, 'USD per month'));

      const happy = totalPerMillion(lines.get('completed')!);
      notes.push(
        `happy path (completed): ${fmt(happy)} per million orders; biggest: ${byService(
          lines.get('completed')!,
        )
          .slice(0, 3)
          .map(([s, usd]) => `${s} ${fmt(usd)}`)
          .join(', ')}`,
        `typical mix: ${Object.entries(MIX)
          .map(([k, w]) => `${Math.round(w * 100)}% ${k}`)
          .join(', ')}`,
        `prices: ${REGION} list prices of ${PRICES_AS_OF}, first tier, no free tier (bench/cost/prices-us-east-1.ts names each page)`,
        `HTTP API requests are the client's: POST /orders, the cancel, the carrier's two webhooks; no status polling`,
        `X-Ray: ${XRAY_SAMPLED_SHARE * 100}% of requests traced (the default rule at scale); SQS: non-empty receives counted as the batches deleted, empty long polls as idle cost (${SQS_POLLERS_PER_QUEUE} pollers a queue, ${LONG_POLL_SECONDS} s polls)`,
        'Lambda duration is what the local workers took, on a machine shared with DynamoDB Local; AWS durations of these I/O-bound handlers are of the same order',
        'not per order: CloudWatch alarms, custom metrics, KMS keys, log and table storage (see README, idle cost)',
      );
      return { name: 'cost', rows, notes };
    } finally {
      meter.detach();
      await shop.stop();
    }
  },
};
