/**
 * The read model's invariant: once events stop, every order's view (GET
 * /customers/me/orders, as its owner) agrees with what the services
 * themselves say of it (orders, payments, shipping), read by checkInvariants.
 */
import type { ShopHttp } from './http.js';
import type { OrderState, Violation } from './check.js';
import type { Customer } from './script.js';

interface ListedOrder {
  orderId: string;
  status: string;
  reason?: string;
  amountCents?: number;
  payment: { status: string; authorizedCents: number; refundedCents: number };
  shipment: { status: string };
}

/** What the view's payment status must be for each status of the payments service. */
const PAYMENT_VIEW: Record<string, string> = {
  AUTHORIZED: 'AUTHORIZED',
  DECLINED: 'DECLINED',
  REFUNDED: 'REFUNDED',
  // No payment event was ever emitted for these.
  CANCELLED_BEFORE_CHARGE: 'PENDING',
  NONE: 'PENDING',
};

/** Shipping's statuses with no event of their own (a shipment called off before it existed). */
const NO_SHIPMENT_EVENT = new Set(['VOID', 'NONE']);

export async function checkReadModel(input: {
  orders: readonly OrderState[];
  /** Who placed each order (its owner reads the view). */
  ownerOf: ReadonlyMap<string, Customer>;
  http: ShopHttp;
}): Promise<Violation[]> {
  const violations: Violation[] = [];
  const add = (subject: string, detail: string) =>
    violations.push({ kind: 'read-model', subject, detail });
  const customers = [...new Set(input.ownerOf.values())];
  const views = new Map<string, ListedOrder>();
  for (const c of customers) {
    for (const v of await listAll(input.http.as(c), c)) views.set(v.orderId, v);
  }

  for (const o of input.orders) {
    if (o.status === 'MISSING') continue;
    const v = views.get(o.orderId);
    if (!v) {
      add(o.orderId, `${o.status} order is not in its owner's GET /customers/me/orders`);
      continue;
    }
    const differ: string[] = [];
    if (v.status !== o.status) differ.push(`status ${v.status}, orders says ${o.status}`);
    if ((v.reason ?? undefined) !== o.reason) {
      differ.push(`reason ${v.reason ?? 'none'}, orders says ${o.reason ?? 'none'}`);
    }
    if (o.amountCents !== undefined && v.amountCents !== o.amountCents) {
      differ.push(`amount ${v.amountCents ?? 'none'}, orders says ${o.amountCents}`);
    }
    const p = o.payment;
    const wantPayment = PAYMENT_VIEW[p?.status ?? 'NONE'] ?? `(payments' ${p?.status})`;
    if (v.payment.status !== wantPayment) {
      differ.push(`payment ${v.payment.status}, payments says ${p?.status ?? 'none'}`);
    }
    if (
      v.payment.authorizedCents !== (p?.chargedCents ?? 0) ||
      v.payment.refundedCents !== (p?.refundedCents ?? 0)
    ) {
      differ.push(
        `payment authorized/refunded ${v.payment.authorizedCents}/${v.payment.refundedCents}, ` +
          `payments says ${p?.chargedCents ?? 0}/${p?.refundedCents ?? 0}`,
      );
    }
    const ship = o.shipment?.status;
    const wantShipment = ship === undefined || NO_SHIPMENT_EVENT.has(ship) ? 'NONE' : ship;
    if (v.shipment.status !== wantShipment) {
      differ.push(`shipment ${v.shipment.status}, shipping says ${ship ?? 'none'}`);
    }
    if (differ.length) add(o.orderId, `the view disagrees: ${differ.join('; ')}`);
  }
  return violations;
}

async function listAll(http: ShopHttp, customer: Customer): Promise<ListedOrder[]> {
  const out: ListedOrder[] = [];
  let token: string | undefined;
  do {
    const path = `/customers/me/orders?limit=100${token ? `&nextToken=${encodeURIComponent(token)}` : ''}`;
    const r = await http.call('GET', path);
    if (r.status !== 200) {
      throw new Error(
        `GET ${path} as ${customer}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`,
      );
    }
    out.push(...((r.body['orders'] as ListedOrder[] | undefined) ?? []));
    token = r.body['nextToken'] as string | undefined;
  } while (token);
  return out;
}
