import { carrierRequest, sleep, type Reply, type ShopHttp } from './http.js';
import type { ChaosTiming } from './options.js';
import type { Customer, OrderTask, RestockTask, Script } from './script.js';

export const ADDRESS = {
  name: 'Chaos Shopper',
  line1: '1 Fault Line',
  city: 'Springfield',
  postalCode: '12345',
  country: 'US',
};

export interface OrderOutcome {
  task: OrderTask;
  /** The order the key was answered with (202). */
  orderId?: string;
  /** Every distinct order id answered for this key: more than one is a violation. */
  orderIds: string[];
  /** Answers to POST /orders that were neither 202 nor retried away (violations). */
  unexpected: string[];
  cancel?: { status: number; code?: string };
  dispatched?: number;
  delivered?: number;
  /** Why a follow-up (cancel after confirm, carrier) did not happen. */
  skipped?: string;
  /** The shopper gave up on this order (e.g. the API kept failing). */
  error?: string;
}

export interface RestockOutcome {
  task: RestockTask;
  status?: number;
  error?: string;
}

export interface ShoppingResult {
  orders: OrderOutcome[];
  restocks: RestockOutcome[];
  /** Units added per SKU by the setup and every restock answered 200. */
  stockAdded: Record<string, number>;
}

export interface ShoppersDeps {
  http: ShopHttp;
  webhookSecret: string;
  timing: ChaosTiming;
  concurrency: number;
  /** Called after each order is answered, with how many are so far. */
  onPlaced?: (count: number) => void;
  signal?: AbortSignal;
}

/**
 * Creates the script's products and their initial stock (keyed restocks: a
 * retry adds nothing), as the operator admin: catalog writes are operators' only.
 */
export async function setupCatalog(
  script: Script,
  client: ShopHttp,
): Promise<Record<string, number>> {
  const http = client.as('admin');
  const added: Record<string, number> = {};
  for (const p of script.products) {
    const put = await http.call('PUT', `/products/${p.sku}`, {
      name: `Chaos ${p.scarce ? 'scarce' : 'plentiful'} ${p.sku}`,
      priceCents: p.priceCents,
    });
    if (put.status >= 300) throw new Error(`PUT /products/${p.sku}: ${describe(put)}`);
    added[p.sku] = 0;
    if (p.initialStock > 0) {
      const r = await http.call(
        'POST',
        `/products/${p.sku}/restock`,
        { quantity: p.initialStock },
        { 'idempotency-key': `chaos-${script.runTag}-initial-${p.sku}` },
      );
      if (r.status !== 200) throw new Error(`Initial restock of ${p.sku}: ${describe(r)}`);
      added[p.sku] = p.initialStock;
    }
  }
  return added;
}

/**
 * Runs the script's tasks with `concurrency` shoppers, each taking the next
 * task when done. What waits on the saga (a cancel once CONFIRMED, the
 * carrier once the shipment is SCHEDULED) is handed to follow-ups that run
 * alongside, at most `4 x concurrency` at once, so a slow saga slows the
 * shoppers down (back-pressure) without stopping them.
 */
export async function runShoppers(script: Script, deps: ShoppersDeps): Promise<ShoppingResult> {
  const orders: OrderOutcome[] = [];
  const restocks: RestockOutcome[] = [];
  const followUps = new Set<Promise<void>>();
  const maxFollowUps = deps.concurrency * 4;
  let next = 0;
  let placed = 0;
  const shopper = async () => {
    while (next < script.tasks.length && !deps.signal?.aborted) {
      const task = script.tasks[next++]!;
      if (task.kind === 'restock') {
        restocks.push(await restock(task, deps));
        continue;
      }
      const outcome: OrderOutcome = { task, orderIds: [], unexpected: [] };
      orders.push(outcome);
      let later: (() => Promise<void>) | undefined;
      try {
        later = await order(outcome, deps, () => deps.onPlaced?.(++placed));
      } catch (error) {
        outcome.error = (error as Error).message;
      }
      if (!later) continue;
      while (followUps.size >= maxFollowUps) await Promise.race(followUps);
      const run = later()
        .catch((error: unknown) => {
          outcome.error = (error as Error).message;
        })
        .finally(() => followUps.delete(run));
      followUps.add(run);
    }
  };
  await Promise.all(Array.from({ length: deps.concurrency }, shopper));
  await Promise.all(followUps);
  const stockAdded: Record<string, number> = {};
  for (const r of restocks) {
    if (r.status === 200) stockAdded[r.task.sku] = (stockAdded[r.task.sku] ?? 0) + r.task.quantity;
  }
  return { orders, restocks, stockAdded };
}

async function restock(task: RestockTask, deps: ShoppersDeps): Promise<RestockOutcome> {
  try {
    const r = await deps.http
      .as('admin')
      .call(
        'POST',
        `/products/${task.sku}/restock`,
        { quantity: task.quantity },
        { 'idempotency-key': task.idempotencyKey },
      );
    return { task, status: r.status, ...(r.status !== 200 && { error: describe(r) }) };
  } catch (error) {
    return { task, error: (error as Error).message };
  }
}

/**
 * Places the order (with its duplicates) and does what needs no waiting;
 * answers the rest (follow-ups that wait on the saga), if any.
 */
async function order(
  o: OrderOutcome,
  deps: ShoppersDeps,
  placed: () => void,
): Promise<(() => Promise<void>) | undefined> {
  const task = o.task;
  // The customer is the token's subject: the body names none (one that does is a 400).
  const http = deps.http.as(task.customer);
  const body = {
    lines: task.lines,
    paymentToken: task.paymentToken,
    shippingAddress: ADDRESS,
  };
  const post = async () => {
    const r = await http.call('POST', '/orders', body, { 'idempotency-key': task.idempotencyKey });
    if (r.status !== 202) {
      o.unexpected.push(describe(r));
      return;
    }
    const id = String(r.body['orderId']);
    if (!o.orderIds.includes(id)) o.orderIds.push(id);
  };
  const finish = async () => {
    if (task.resubmitLater) await post();
    if (o.orderIds.length > 1) {
      o.unexpected.push(
        `Idempotency-Key ${task.idempotencyKey} was answered with ${o.orderIds.length} orders: ${o.orderIds.join(', ')}`,
      );
    }
  };
  // The first POST and its duplicates go out together, as a double-clicking client's would.
  await Promise.all(Array.from({ length: 1 + task.concurrentDuplicates }, post));
  o.orderId = o.orderIds[0];
  if (!o.orderId) throw new Error(`POST /orders never answered 202: ${o.unexpected.join('; ')}`);
  placed();
  const orderId = o.orderId;

  switch (task.cancel) {
    case 'immediately':
      o.cancel = await cancel(orderId, task.customer, deps);
      await finish();
      return undefined;
    case 'while-pending':
      await sleep(task.cancelDelayMs, deps.signal);
      o.cancel = await cancel(orderId, task.customer, deps);
      await finish();
      return undefined;
    case 'after-confirm':
      return async () => {
        const status = await waitForOrder(orderId, task.customer, ['CONFIRMED'], deps);
        if (status === 'CONFIRMED') o.cancel = await cancel(orderId, task.customer, deps);
        else o.skipped = `cancel after confirm: the order was ${status}`;
        await finish();
      };
    case 'racing-dispatch':
      return async () => {
        const scheduled = await waitForShipment(orderId, task.customer, deps);
        if (scheduled === 'SCHEDULED') {
          const [c, d] = await Promise.all([
            cancel(orderId, task.customer, deps),
            webhook(orderId, 'DISPATCHED', deps),
          ]);
          o.cancel = c;
          o.dispatched = d;
        } else {
          o.skipped = `cancel racing dispatch: ${scheduled}`;
        }
        await finish();
      };
    case 'none':
      if (task.carrier === 'none' || task.paymentToken !== 'tok_approve') {
        await finish();
        return undefined;
      }
      return async () => {
        const scheduled = await waitForShipment(orderId, task.customer, deps);
        if (scheduled === 'SCHEDULED') {
          o.dispatched = await webhook(orderId, 'DISPATCHED', deps);
          if (task.carrier === 'deliver') o.delivered = await webhook(orderId, 'DELIVERED', deps);
        } else {
          o.skipped = `carrier: ${scheduled}`;
        }
        await finish();
      };
    default: {
      const _exhaustive: never = task.cancel;
      throw new Error(`Unknown cancel moment ${String(_exhaustive)}`);
    }
  }
}

async function cancel(
  orderId: string,
  owner: Customer,
  deps: ShoppersDeps,
): Promise<{ status: number; code?: string }> {
  const r = await deps.http.as(owner).call('POST', `/orders/${orderId}/cancel`);
  return { status: r.status, ...(r.status !== 202 && { code: String(r.body['error'] ?? '') }) };
}

async function webhook(
  orderId: string,
  type: 'DISPATCHED' | 'DELIVERED',
  deps: ShoppersDeps,
): Promise<number> {
  const shipmentId = `shp_${orderId}`;
  // Signed per attempt: the signature carries a timestamp.
  const { body, headers } = carrierRequest(deps.webhookSecret, shipmentId, type);
  // The carrier signs, it does not sign in: no bearer token.
  const r = await deps.http
    .anonymous()
    .call('POST', `/shipments/${shipmentId}/events`, body, headers);
  return r.status;
}

/** Polls the order until it reaches one of `wanted` or a terminal status; answers the status seen last. */
async function waitForOrder(
  orderId: string,
  owner: Customer,
  wanted: string[],
  deps: ShoppersDeps,
): Promise<string> {
  const until = Date.now() + deps.timing.followUpTimeoutMs;
  let status = 'unknown';
  while (Date.now() < until && !deps.signal?.aborted) {
    const r = await deps.http.as(owner).call('GET', `/orders/${orderId}`);
    status = String(r.body['status'] ?? `HTTP ${r.status}`);
    if (wanted.includes(status) || status === 'CANCELLED' || status === 'COMPLETED') return status;
    await sleep(deps.timing.pollMs * (0.5 + Math.random()), deps.signal);
  }
  return `still ${status} after ${deps.timing.followUpTimeoutMs} ms`;
}

/** Waits for the order to be CONFIRMED and its shipment SCHEDULED; answers what it saw. */
async function waitForShipment(
  orderId: string,
  owner: Customer,
  deps: ShoppersDeps,
): Promise<string> {
  const status = await waitForOrder(orderId, owner, ['CONFIRMED'], deps);
  if (status !== 'CONFIRMED') return `the order was ${status}`;
  const until = Date.now() + deps.timing.followUpTimeoutMs;
  while (Date.now() < until && !deps.signal?.aborted) {
    const r = await deps.http.as(owner).call('GET', `/shipments/shp_${orderId}`);
    if (r.status === 200) return String(r.body['status']);
    await sleep(deps.timing.pollMs * (0.5 + Math.random()), deps.signal);
  }
  return `no shipment after ${deps.timing.followUpTimeoutMs} ms`;
}

function describe(r: Reply): string {
  return `${r.status} ${JSON.stringify(r.body).slice(0, 300)}`;
}
