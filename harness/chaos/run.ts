/**
 * One chaos run: boot (or reach) the shop, shop with faults on and the
 * provider down for a while, stop the faults, settle, redrive every
 * dead-letter queue until they stay empty, check the invariants, then replay
 * the whole archive and check that it changed nothing.
 */
import { setMaxListeners } from 'node:events';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startShop, type RunningShop } from '../shop/index.js';
import { checkInvariants, type CheckResult, type StockLine, type Violation } from './check.js';
import { checkReadModel } from './read-model.js';
import { CloudSide, snapshotChanges, type FaultStatus, type Redriven } from './cloud.js';
import { controlCall, ShopHttp } from './http.js';
import { signInTo } from './sign-in.js';
import {
  faultPlanOf,
  isQuiet,
  resolveOptions,
  type ChaosInput,
  type ChaosOptions,
} from './options.js';
import type { FaultPlan } from '@shop/local-cloud';
import { subSeed } from './random.js';
import { makeScript, type Script } from './script.js';
import {
  ADDRESS,
  runShoppers,
  setupCatalog,
  type OrderOutcome,
  type RestockOutcome,
} from './shoppers.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface ChaosReport {
  ok: boolean;
  mode: 'own shop' | 'external shop';
  seed: number;
  options: Omit<ChaosOptions, 'log' | 'signal' | 'target' | 'functionLog'>;
  faultPlan: FaultPlan;
  /** What the local cloud says it injected (GET /_local/faults), when faults were on. */
  faults?: FaultStatus;
  orders: {
    scripted: number;
    accepted: number;
    duplicateSubmissions: number;
    cancelRequests: number;
    carrierWebhooks: number;
    /** Follow-ups (cancel once CONFIRMED, carrier) that gave up waiting or found the order elsewhere. */
    followUpsSkipped: number;
    restocks: number;
    settled: Record<string, number>;
    lost: number;
    unsettled: number;
    doubleCharges: number;
    moneyViolations: number;
    cancelledAfterDispatch: number;
    /** Orders cancelled because their deadline passed (reason TIMED_OUT). */
    timedOut: number;
  };
  stock: StockLine[];
  deadLetters: {
    redriven: number;
    rounds: number;
    byQueue: Redriven[];
    left: Record<string, number>;
  };
  replay?: {
    events: number;
    stateChanges: number;
    ledgerChanges: number;
    sample: string[];
  };
  http: { calls: number; retried: number; failedAttempts: number; throttled: number };
  /** Milliseconds per phase. */
  durations: Record<string, number>;
  violations: (Violation & { journey?: string[] })[];
}

export async function runChaos(input: ChaosInput = {}): Promise<ChaosReport> {
  const options = resolveOptions(input);
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const durations: Record<string, number> = {};
  const phase = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t = Date.now();
    log(`${name}...`);
    try {
      return await fn();
    } finally {
      durations[name] = Date.now() - t;
    }
  };
  const signal = options.signal;
  // Every concurrent call and wait listens to it (hundreds in a large run).
  if (signal) setMaxListeners(0, signal);
  const cleanups: (() => Promise<void>)[] = [];

  try {
    let shop: RunningShop | undefined;
    let booting = true;
    if (!options.target) {
      shop = await phase('boot', () =>
        startShop({
          root: ROOT,
          // Another deadline is another template: its own assembly folder.
          cdkOut:
            options.cdkOut ??
            join(
              ROOT,
              '.local',
              options.orderDeadline
                ? `cdk.out.chaos-deadline-${options.orderDeadline}`
                : 'cdk.out.chaos',
            ),
          orderDeadline: options.orderDeadline,
          port: 0,
          apiPort: 0,
          providerPort: 0,
          seed: false,
          providerSeed: subSeed(options.seed, 'provider'),
          // After boot the shop logs every injected failure: thousands of lines in a large run.
          log: (line) => (booting || options.verbose) && log(`  ${line}`),
          functionLog: options.functionLog ?? (() => undefined),
        }),
      );
      cleanups.push(() => shop!.stop());
    }
    booting = false;
    const endpoint = shop?.endpoint ?? options.target!.endpoint;
    const apiUrl = shop?.apiUrl ?? options.target!.apiUrl;
    const providerUrl = shop?.providerUrl ?? options.target!.providerUrl;
    const cloud = await CloudSide.connect(endpoint);
    cleanups.push(async () => cloud.close());
    const webhookSecret =
      shop?.webhookSecret ?? options.target?.webhookSecret ?? (await cloud.webhookSecret());
    const signIn = shop?.signIn ?? (await signInTo(cloud));
    const http = new ShopHttp(
      apiUrl,
      { attempts: options.timing.httpAttempts, timeoutMs: options.timing.httpTimeoutMs, signal },
      signIn,
    );

    const runTag = shop
      ? `s${options.seed}`
      : `s${options.seed}t${Date.now().toString(36)}`.slice(0, 20);
    const script = makeScript({
      seed: subSeed(options.seed, 'script'),
      orders: options.orders,
      runTag,
      declineTokenShare: options.declineTokenShare,
    });
    const plan = faultPlanOf(options, subSeed(options.seed, 'faults'));
    const windowStart = new Date(Date.now() - 2000);

    if (options.visibilitySeconds > 0) {
      const restore = await cloud.setVisibility(options.visibilitySeconds);
      cleanups.push(restore);
    }
    const initialStock = await phase('catalog', () => setupCatalog(script, http));

    // --- shopping, with faults on ---
    const providerBefore = (
      await controlCall<Record<string, unknown>>(`${providerUrl}/_control`, 'GET')
    ).body;
    const provider = (patch: Record<string, unknown>) =>
      controlCall(`${providerUrl}/_control`, 'POST', patch);
    const restoreProvider = async () => {
      await provider({
        mode: 'up',
        latencyMs: providerBefore['latencyMs'] ?? 0,
        declineRate: providerBefore['declineRate'] ?? 0,
      });
    };
    cleanups.push(restoreProvider);
    const faultsOn = !isQuiet(plan);
    if (faultsOn) {
      await cloud.faultsOn(plan);
      cleanups.push(() => cloud.faultsOff());
    }
    await provider({ latencyMs: options.slowMs, declineRate: options.declineRate });

    let outage: Promise<void> = Promise.resolve();
    const outageAt = Math.max(1, Math.ceil(options.orders * 0.3));
    const shopping = await phase('shopping', () =>
      runShoppers(script, {
        http,
        webhookSecret,
        timing: options.timing,
        concurrency: options.concurrency,
        signal,
        onPlaced: (count) => {
          if (count % Math.max(10, Math.round(options.orders / 10)) === 0) {
            log(`  ${count} of ${options.orders} orders placed`);
          }
          if (count !== outageAt || options.outageSeconds <= 0) return;
          log(
            `  ${count} orders placed: the payment provider goes down for ${options.outageSeconds} s`,
          );
          outage = (async () => {
            await provider({ mode: 'down' });
            await new Promise((r) => setTimeout(r, options.outageSeconds * 1000));
            await provider({ mode: 'up' });
            log('  the payment provider is back up');
          })();
        },
      }),
    );
    await outage;
    let faults: FaultStatus | undefined;
    if (faultsOn) {
      faults = await cloud.faults();
      await cloud.faultsOff();
    }
    await restoreProvider();

    // --- calm: settle, redrive until the dead-letter queues stay empty ---
    const stockAdded = { ...initialStock };
    await phase('reconcile', () => reconcile(shopping.orders, shopping.restocks, http));
    for (const r of shopping.restocks) {
      if (r.status === 200)
        stockAdded[r.task.sku] = (stockAdded[r.task.sku] ?? 0) + r.task.quantity;
    }
    const violations: ChaosReport['violations'] = [];
    const deadLetters = await phase('settle and redrive', () =>
      settleAndRedrive(cloud, options, windowStart, violations),
    );

    const checked = await phase('checks', () =>
      checkInvariants({
        script,
        outcomes: shopping.orders,
        stockAdded,
        http,
        signIn,
        providerUrl,
        ownShop: !!shop,
      }),
    );
    violations.push(...checked.violations);
    const ownerOf = new Map(shopping.orders.map((o) => [o.orderId ?? '', o.task.customer]));
    violations.push(
      ...(await phase('read model', () =>
        checkReadModel({ orders: checked.orders, ownerOf, http }),
      )),
    );
    violations.push(...(await phase('idempotency records', () => stuckIdempotency(cloud))));

    let replay: ChaosReport['replay'];
    if (options.replay) {
      replay = await phase('archive replay', () =>
        replayChangesNothing(cloud, providerUrl, windowStart, options, violations),
      );
    }

    await phase('journeys', () => addJourneys(cloud, violations));
    return {
      ok: violations.length === 0,
      mode: shop ? 'own shop' : 'external shop',
      seed: options.seed,
      options: summary(options),
      faultPlan: plan,
      ...(faults && { faults }),
      orders: orderFigures(script, shopping.orders, shopping.restocks, checked),
      stock: checked.stock,
      deadLetters,
      ...(replay && { replay }),
      http: { ...http.stats },
      durations: { ...durations, total: Date.now() - started },
      violations,
    };
  } finally {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  }
}

/** With faults off: resend what never got an answer, with the same keys, so the books are exact. */
async function reconcile(
  orders: OrderOutcome[],
  restocks: RestockOutcome[],
  http: ShopHttp,
): Promise<void> {
  for (const r of restocks) {
    if (r.status === 200) continue;
    const reply = await http
      .as('admin')
      .call(
        'POST',
        `/products/${r.task.sku}/restock`,
        { quantity: r.task.quantity },
        { 'idempotency-key': r.task.idempotencyKey },
      );
    r.status = reply.status;
  }
  for (const o of orders) {
    if (o.orderId) continue;
    const t = o.task;
    const reply = await http.as(t.customer).call(
      'POST',
      '/orders',
      {
        lines: t.lines,
        paymentToken: t.paymentToken,
        shippingAddress: ADDRESS,
      },
      { 'idempotency-key': t.idempotencyKey },
    );
    if (reply.status === 202) {
      o.orderId = String(reply.body['orderId']);
      o.orderIds.push(o.orderId);
      o.error = `${o.error ?? ''} (answered 202 only when resent after the faults stopped)`.trim();
    }
  }
}

async function settleAndRedrive(
  cloud: CloudSide,
  options: ChaosOptions,
  since: Date,
  violations: Violation[],
): Promise<ChaosReport['deadLetters']> {
  const { quietMs, settleTimeoutMs, maxRedriveRounds } = options.timing;
  const byQueue: Redriven[] = [];
  let rounds = 0;
  let left: Record<string, number> = {};
  try {
    for (;;) {
      await cloud.settle(quietMs, settleTimeoutMs, since, options.signal);
      if (rounds >= maxRedriveRounds) break;
      const { redriven, stuck } = await cloud.redriveAll(options.signal);
      if (redriven.length === 0) break;
      rounds++;
      byQueue.push(...redriven);
      options.log?.(`  redrove ${redriven.map((r) => `${r.moved} from ${r.queue}`).join(', ')}`);
      // Queues with no source (publisher on-failure queues) stay as they are and are reported below.
      void stuck;
    }
  } catch (error) {
    violations.push({ kind: 'settle', subject: 'shop', detail: (error as Error).message });
  }
  left = Object.fromEntries(
    Object.entries(await cloud.deadLetterDepths()).filter(([, n]) => n > 0),
  );
  for (const [queue, n] of Object.entries(left)) {
    violations.push({
      kind: 'dlq',
      subject: queue,
      detail: `${n} message(s) left after ${rounds} redrive round(s) (npm run dlq -- show ${queue} --endpoint-url ${cloud.endpoint})`,
    });
  }
  const failed = byQueue.filter((r) => r.status !== 'COMPLETED');
  for (const r of failed) {
    violations.push({
      kind: 'dlq',
      subject: r.queue,
      detail: `redrive ended ${r.status}: ${r.failureReason ?? ''}`,
    });
  }
  return { redriven: byQueue.reduce((s, r) => s + r.moved, 0), rounds, byQueue, left };
}

async function replayChangesNothing(
  cloud: CloudSide,
  providerUrl: string,
  from: Date,
  options: ChaosOptions,
  violations: Violation[],
): Promise<NonNullable<ChaosReport['replay']>> {
  const since = from;
  const { quietMs, settleTimeoutMs, replayTimeoutMs } = options.timing;
  const ledger = async () =>
    JSON.stringify(
      (await controlCall<{ orders: unknown }>(`${providerUrl}/_ledger`, 'GET')).body.orders,
    );
  await cloud.settle(quietMs, settleTimeoutMs, since, options.signal);
  const before = await cloud.snapshot();
  const ledgerBefore = await ledger();
  const dlqBefore = await cloud.deadLetterDepths();
  const eventsBefore = await cloud.lastEventSeq();
  let events = 0;
  try {
    await cloud.replayArchive(from, replayTimeoutMs, options.signal);
    events = (await cloud.lastEventSeq()) - eventsBefore;
    await cloud.settle(quietMs, settleTimeoutMs, since, options.signal);
  } catch (error) {
    violations.push({ kind: 'replay', subject: 'archive', detail: (error as Error).message });
  }
  const changes = snapshotChanges(before, await cloud.snapshot());
  const ledgerChanged = (await ledger()) !== ledgerBefore;
  for (const c of changes.slice(0, 50)) {
    violations.push({
      kind: 'replay',
      subject: c.split(' ').pop() ?? c,
      detail: `the archive replay ${c}`,
    });
  }
  if (changes.length > 50) {
    violations.push({
      kind: 'replay',
      subject: 'tables',
      detail: `...and ${changes.length - 50} more changed items`,
    });
  }
  if (ledgerChanged) {
    violations.push({
      kind: 'replay',
      subject: 'provider',
      detail: 'the archive replay moved money at the payment provider',
    });
  }
  for (const [queue, n] of Object.entries(await cloud.deadLetterDepths())) {
    const added = n - (dlqBefore[queue] ?? 0);
    if (added > 0) {
      violations.push({
        kind: 'replay',
        subject: queue,
        detail: `${added} replayed message(s) dead-lettered`,
      });
    }
  }
  return {
    events,
    stateChanges: changes.length,
    ledgerChanges: ledgerChanged ? 1 : 0,
    sample: changes.slice(0, 10),
  };
}

/**
 * Powertools idempotency records still INPROGRESS once the shop has settled.
 * Every delivery that started one either completed it or left it to expire
 * (`in_progress_expiration`, the invocation's deadline) for the redelivery to
 * take over; one left behind without that expiry blocks its event for the
 * record's whole lifetime (30 days): every redelivery fails as "already in
 * progress". A violation even when nothing else shows it yet.
 */
async function stuckIdempotency(cloud: CloudSide): Promise<Violation[]> {
  const out: Violation[] = [];
  for (const [table, items] of Object.entries(await cloud.snapshot())) {
    for (const [pk, text] of items) {
      const item = JSON.parse(text) as Record<string, unknown>;
      if (item['status'] !== 'INPROGRESS') continue;
      const expiry = item['in_progress_expiration'];
      out.push({
        kind: 'idempotency',
        subject: `${table} ${pk}`,
        detail:
          expiry === undefined
            ? 'Powertools idempotency record INPROGRESS with no in_progress_expiration: its event can never be processed again (every redelivery is "already in progress")'
            : `Powertools idempotency record still INPROGRESS after the shop settled (in_progress_expiration ${new Date(Number(expiry)).toISOString()})`,
      });
    }
  }
  return out;
}

/** The event timeline of each order a violation names (at most 20), for whoever fixes it. */
async function addJourneys(cloud: CloudSide, violations: ChaosReport['violations']): Promise<void> {
  const seen = new Set<string>();
  for (const v of violations) {
    if (!v.subject.startsWith('ord_') || seen.size >= 20) continue;
    seen.add(v.subject);
    const events = await cloud.journey(v.subject);
    v.journey = events.map((e) => {
      const detail = e.event['detail'] as
        { metadata?: { eventId?: string; causationId?: string } } | undefined;
      const replayed = e.event['replay-name'] ? ' (replayed)' : '';
      return `#${e.seq} ${e.receivedAt} ${String(e.event['source'])} ${String(e.event['detail-type'])} ${detail?.metadata?.eventId ?? ''} <- ${detail?.metadata?.causationId ?? ''}${replayed}`;
    });
  }
}

function orderFigures(
  script: Script,
  orders: OrderOutcome[],
  restocks: RestockOutcome[],
  checked: CheckResult,
): ChaosReport['orders'] {
  return {
    scripted: script.tasks.filter((t) => t.kind === 'order').length,
    accepted: orders.filter((o) => o.orderId).length,
    duplicateSubmissions: orders.reduce(
      (s, o) => s + o.task.concurrentDuplicates + (o.task.resubmitLater ? 1 : 0),
      0,
    ),
    cancelRequests: orders.filter((o) => o.cancel).length,
    carrierWebhooks: orders.reduce(
      (s, o) => s + (o.dispatched !== undefined ? 1 : 0) + (o.delivered !== undefined ? 1 : 0),
      0,
    ),
    followUpsSkipped: orders.filter((o) => o.skipped).length,
    restocks: restocks.length,
    settled: checked.settled,
    lost: checked.lost,
    unsettled: checked.unsettled,
    doubleCharges: checked.doubleCharges,
    moneyViolations: checked.moneyViolations,
    cancelledAfterDispatch: checked.cancelledAfterDispatch.length,
    timedOut: checked.orders.filter((o) => o.status === 'CANCELLED' && o.reason === 'TIMED_OUT')
      .length,
  };
}

function summary(o: ChaosOptions): ChaosReport['options'] {
  const { log: _log, signal: _signal, target: _target, functionLog: _f, ...rest } = o;
  return rest;
}
