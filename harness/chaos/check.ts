/**
 * The invariants of the spec (shared/SYSTEM.md), checked once the shop has
 * settled, through the public APIs and the provider's ledger: nothing lost,
 * stock conserved, money conserved, and the services agreeing with each other.
 */
import { mapLimit } from '../../ops/shared/local.js';
import { controlCall, type ShopHttp } from './http.js';
import type { SignIn } from '../shop/sign-in.js';
import type { Customer, Script } from './script.js';
import type { OrderOutcome } from './shoppers.js';

export interface Violation {
  /** lost | unsettled | api | money | double-charge | stock | payment | shipment | notification | dlq | replay | settle */
  kind: string;
  /** The order, SKU or queue it is about. */
  subject: string;
  detail: string;
}

export interface OrderState {
  orderId: string;
  status: string;
  reason?: string;
  customerId?: string;
  amountCents?: number;
  lines: { sku: string; quantity: number }[];
  payment?: { status: string; chargedCents: number; refundedCents: number };
  shipment?: { status: string };
  ledger: { charged: number; refunded: number; charges: number };
  notifications: Record<string, number>;
}

export interface StockLine {
  sku: string;
  added: number;
  available: number;
  reserved: number;
  /** Units of this SKU on orders CONFIRMED or COMPLETED. */
  held: number;
  /** added - (available + held): 0 when stock is conserved. */
  drift: number;
}

export interface CheckResult {
  settled: Record<string, number>;
  lost: number;
  unsettled: number;
  doubleCharges: number;
  moneyViolations: number;
  /** Cancelled orders whose shipment the carrier had already taken (the documented race). */
  cancelledAfterDispatch: string[];
  stock: StockLine[];
  orders: OrderState[];
  violations: Violation[];
}

interface LedgerBody {
  orders: Record<string, { charged_cents: number; refunded_cents: number; charges: number }>;
}

interface Notice {
  orderId: string;
  kind: string;
  eventId: string;
}

export async function checkInvariants(input: {
  script: Script;
  outcomes: OrderOutcome[];
  stockAdded: Record<string, number>;
  http: ShopHttp;
  /** The customers' tokens: their `sub` is the customer id the shop keys orders and notifications by. */
  signIn: SignIn;
  providerUrl: string;
  /** The shop was booted for this run, so every charge at the provider is one of its orders. */
  ownShop: boolean;
}): Promise<CheckResult> {
  const { http, outcomes } = input;
  const violations: Violation[] = [];
  const add = (kind: string, subject: string, detail: string) =>
    violations.push({ kind, subject, detail });

  const ledgerReply = await controlCall<LedgerBody>(`${input.providerUrl}/_ledger`, 'GET');
  if (ledgerReply.status !== 200) {
    throw new Error(`GET ${input.providerUrl}/_ledger answered ${ledgerReply.status}.`);
  }
  const ledger = ledgerReply.body.orders;
  const subjects = new Map<Customer, string>();
  for (const c of input.script.customers) subjects.set(c, await input.signIn.subjectOf(c));
  const notices = await notificationsByOrder(input.script.customers, subjects, http);

  for (const o of outcomes) {
    if (!o.orderId)
      add(
        'api',
        o.task.idempotencyKey,
        `never answered 202: ${o.error ?? o.unexpected.join('; ')}`,
      );
    for (const u of o.unexpected) add('api', o.orderId ?? o.task.idempotencyKey, u);
  }
  const placed = outcomes.filter((o): o is OrderOutcome & { orderId: string } => !!o.orderId);
  const known = new Set(placed.map((o) => o.orderId));
  if (input.ownShop) {
    for (const id of Object.keys(ledger)) {
      if (!known.has(id))
        add(
          'money',
          id,
          `the provider has money movements for an order no shopper was answered: ${JSON.stringify(ledger[id])}`,
        );
    }
  }

  // Each order read with its owner's token: anyone else gets the 404 of a missing order.
  const orders = await mapLimit(placed, 16, async (o) =>
    loadOrder(o.orderId, http.as(o.task.customer), ledger, notices),
  );
  const settled: Record<string, number> = {};
  let lost = 0;
  let unsettled = 0;
  let doubleCharges = 0;
  let moneyViolations = 0;
  const cancelledAfterDispatch: string[] = [];

  orders.forEach((s, i) => {
    const o = placed[i]!;
    const id = s.orderId;
    settled[s.status] = (settled[s.status] ?? 0) + 1;
    if (s.status === 'MISSING') {
      lost++;
      add('lost', id, `answered 202, but GET /orders/{id} as ${o.task.customer} answers 404`);
      return;
    }
    const owner = subjects.get(o.task.customer);
    if (s.customerId !== owner) {
      add(
        'api',
        id,
        `placed by ${o.task.customer} (sub ${owner}), but the order's customerId is ${s.customerId ?? 'missing'}`,
      );
    }
    if (s.status === 'PENDING') {
      unsettled++;
      add('unsettled', id, 'still PENDING after the shop settled and every DLQ was redriven');
    }
    const live = s.status === 'CONFIRMED' || s.status === 'COMPLETED';

    // Money, from the provider's own books.
    const expected = live ? (s.amountCents ?? NaN) : 0;
    const kept = s.ledger.charged - s.ledger.refunded;
    if (s.ledger.charges > 1) {
      doubleCharges++;
      add('double-charge', id, `charged ${s.ledger.charges} times (${s.ledger.charged} cents)`);
    }
    if (kept !== expected) {
      moneyViolations++;
      add(
        'money',
        id,
        `${s.status}: the provider kept ${kept} cents (charged ${s.ledger.charged}, refunded ${s.ledger.refunded}); expected ${expected}`,
      );
    }

    // Payments agrees with orders and with the provider.
    const p = s.payment;
    if (
      live &&
      (p?.status !== 'AUTHORIZED' || p.chargedCents !== s.amountCents || p.refundedCents !== 0)
    ) {
      add(
        'payment',
        id,
        `${s.status} order, payment ${JSON.stringify(p ?? 'none')}; expected AUTHORIZED for ${s.amountCents}`,
      );
    }
    if (
      s.status === 'CANCELLED' &&
      p &&
      !['CANCELLED_BEFORE_CHARGE', 'DECLINED', 'REFUNDED'].includes(p.status)
    ) {
      add('payment', id, `CANCELLED order, payment ${p.status}: money is still held or in flight`);
    }
    if (p && (p.chargedCents !== s.ledger.charged || p.refundedCents !== s.ledger.refunded)) {
      add(
        'payment',
        id,
        `payments says charged ${p.chargedCents}/refunded ${p.refundedCents}, the provider ${s.ledger.charged}/${s.ledger.refunded}`,
      );
    }
    if (s.reason === 'PAYMENT_DECLINED' && p?.status !== 'DECLINED') {
      add(
        'payment',
        id,
        `CANCELLED(PAYMENT_DECLINED) but the payment is ${p?.status ?? 'missing'}`,
      );
    }
    if (o.task.paymentToken === 'tok_decline' && live) {
      add('payment', id, `paid with tok_decline, yet ${s.status}`);
    }

    // Shipping agrees with orders.
    const ship = s.shipment?.status;
    const dispatchedByUs = o.dispatched === 200;
    if (
      s.status === 'CONFIRMED' &&
      !(ship === 'SCHEDULED' || (ship === 'DISPATCHED' && dispatchedByUs))
    ) {
      add('shipment', id, `CONFIRMED order, shipment ${ship ?? 'none'}`);
    }
    if (s.status === 'COMPLETED' && (ship !== 'DELIVERED' || o.delivered !== 200)) {
      add(
        'shipment',
        id,
        `COMPLETED order, shipment ${ship ?? 'none'}, delivery webhook ${o.delivered ?? 'not sent'}`,
      );
    }
    if (s.status === 'CANCELLED' && ship !== undefined && ship !== 'CANCELLED') {
      // The carrier took the parcel while the cancellation was on its way: documented, counted apart.
      if ((ship === 'DISPATCHED' || ship === 'DELIVERED') && dispatchedByUs)
        cancelledAfterDispatch.push(id);
      else add('shipment', id, `CANCELLED order, shipment ${ship}`);
    }
    if (o.dispatched === 200 && s.status === 'CONFIRMED' && ship !== 'DISPATCHED') {
      add(
        'shipment',
        id,
        `the DISPATCHED webhook was answered 200, but the shipment is ${ship ?? 'none'}`,
      );
    }

    // The customer's cancellation, once answered 202, is what happened to the order.
    if (o.cancel?.status === 202 && (s.status !== 'CANCELLED' || s.reason !== 'CUSTOMER_REQUEST')) {
      add(
        'api',
        id,
        `cancel answered 202, but the order is ${s.status}${s.reason ? ` (${s.reason})` : ''}`,
      );
    }
    if (o.cancel && o.cancel.status !== 202 && o.cancel.status !== 409) {
      add('api', id, `cancel answered ${o.cancel.status} ${o.cancel.code ?? ''}`);
    }

    // One notification per customer-facing event.
    const n = s.notifications;
    for (const [kind, count] of Object.entries(n)) {
      if (count > 1) add('notification', id, `${count} ${kind} notifications (one expected)`);
    }
    const want = (kind: string, yes: boolean) => {
      if (yes && !n[kind]) add('notification', id, `${s.status} order has no ${kind} notification`);
    };
    want('ORDER_CONFIRMED', live);
    want('ORDER_CANCELLED', s.status === 'CANCELLED');
    want('SHIPMENT_DELIVERED', s.status === 'COMPLETED');
    want('SHIPMENT_DISPATCHED', dispatchedByUs);
  });

  const stock = await stockLines(input.script, input.stockAdded, orders, http);
  for (const line of stock) {
    if (line.drift !== 0 || line.reserved !== line.held) {
      add(
        'stock',
        line.sku,
        `added ${line.added}, available ${line.available}, reserved ${line.reserved}, held by live orders ${line.held}: ` +
          `drift ${line.drift}${line.reserved !== line.held ? `, reserved - held = ${line.reserved - line.held}` : ''}`,
      );
    }
  }

  return {
    settled,
    lost,
    unsettled,
    doubleCharges,
    moneyViolations,
    cancelledAfterDispatch,
    stock,
    orders,
    violations,
  };
}

async function loadOrder(
  orderId: string,
  http: ShopHttp,
  ledger: LedgerBody['orders'],
  notices: Map<string, Notice[]>,
): Promise<OrderState> {
  const [o, p, s] = await Promise.all([
    http.call('GET', `/orders/${orderId}`),
    http.call('GET', `/payments/${orderId}`),
    http.call('GET', `/shipments/shp_${orderId}`),
  ]);
  const l = ledger[orderId];
  const notifications: Record<string, number> = {};
  for (const n of notices.get(orderId) ?? [])
    notifications[n.kind] = (notifications[n.kind] ?? 0) + 1;
  return {
    orderId,
    status: o.status === 404 ? 'MISSING' : String(o.body['status']),
    ...(typeof o.body['reason'] === 'string' && { reason: o.body['reason'] }),
    ...(typeof o.body['customerId'] === 'string' && { customerId: o.body['customerId'] }),
    ...(typeof o.body['amountCents'] === 'number' && { amountCents: o.body['amountCents'] }),
    lines: (o.body['lines'] as { sku: string; quantity: number }[] | undefined) ?? [],
    ...(p.status === 200 && {
      payment: {
        status: String(p.body['status']),
        chargedCents: Number(p.body['chargedCents'] ?? 0),
        refundedCents: Number(p.body['refundedCents'] ?? 0),
      },
    }),
    ...(s.status === 200 && { shipment: { status: String(s.body['status']) } }),
    ledger: {
      charged: l?.charged_cents ?? 0,
      refunded: l?.refunded_cents ?? 0,
      charges: l?.charges ?? 0,
    },
    notifications,
  };
}

/**
 * Every notification of the run's customers, by order (one page of 100 at a
 * time), each read as that customer under their id, the token's `sub`.
 */
async function notificationsByOrder(
  customers: readonly Customer[],
  subjects: ReadonlyMap<Customer, string>,
  http: ShopHttp,
): Promise<Map<string, Notice[]>> {
  const byOrder = new Map<string, Notice[]>();
  await mapLimit([...customers], 8, async (c) => {
    const sub = subjects.get(c)!;
    let token: string | undefined;
    do {
      const q = `limit=100${token ? `&nextToken=${encodeURIComponent(token)}` : ''}`;
      const path = `/customers/${encodeURIComponent(sub)}/notifications?${q}`;
      const r = await http.as(c).call('GET', path);
      if (r.status !== 200)
        throw new Error(`GET ${path} as ${c}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
      for (const n of (r.body['notifications'] as Notice[] | undefined) ?? []) {
        const list = byOrder.get(n.orderId) ?? [];
        list.push(n);
        byOrder.set(n.orderId, list);
      }
      token = r.body['nextToken'] as string | undefined;
    } while (token);
  });
  return byOrder;
}

async function stockLines(
  script: Script,
  added: Record<string, number>,
  orders: OrderState[],
  http: ShopHttp,
): Promise<StockLine[]> {
  const held = new Map<string, number>();
  for (const o of orders) {
    if (o.status !== 'CONFIRMED' && o.status !== 'COMPLETED') continue;
    for (const l of o.lines) held.set(l.sku, (held.get(l.sku) ?? 0) + l.quantity);
  }
  return mapLimit(script.products, 8, async (p) => {
    const r = await http.anonymous().call('GET', `/products/${p.sku}`);
    const available = Number(r.body['available']);
    const reserved = Number(r.body['reserved']);
    const h = held.get(p.sku) ?? 0;
    const a = added[p.sku] ?? 0;
    return { sku: p.sku, added: a, available, reserved, held: h, drift: a - (available + h) };
  });
}
