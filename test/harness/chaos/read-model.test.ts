import { describe, expect, it } from 'vitest';
import type { OrderState } from '../../../harness/chaos/check.js';
import type { ShopHttp } from '../../../harness/chaos/http.js';
import { checkReadModel } from '../../../harness/chaos/read-model.js';

const order = (over: Partial<OrderState> = {}): OrderState => ({
  orderId: 'ord_1',
  status: 'CONFIRMED',
  amountCents: 2400,
  lines: [{ sku: 'MUG', quantity: 2 }],
  payment: { status: 'AUTHORIZED', chargedCents: 2400, refundedCents: 0 },
  shipment: { status: 'SCHEDULED' },
  ledger: { charged: 2400, refunded: 0, charges: 1 },
  notifications: {},
  ...over,
});

const view = {
  orderId: 'ord_1',
  status: 'CONFIRMED',
  amountCents: 2400,
  payment: { status: 'AUTHORIZED', authorizedCents: 2400, refundedCents: 0 },
  shipment: { status: 'SCHEDULED' },
};

/** A client answering each customer's list from `pages`, one page per call. */
function fakeHttp(pages: Record<string, unknown[][]>): ShopHttp {
  const client = (user?: string) => ({
    as: (u: string) => client(u),
    call: async () => {
      const left = pages[user!]!;
      const orders = left.shift() ?? [];
      return { status: 200, body: { orders, ...(left.length && { nextToken: 'more' }) } };
    },
  });
  return client() as unknown as ShopHttp;
}

const ownerOf = new Map([['ord_1', 'ada' as const]]);

describe('the chaos run: the read model agrees with the services', () => {
  it('finds nothing when the view says what the services say, across pages', async () => {
    const http = fakeHttp({ ada: [[], [view]] });
    expect(await checkReadModel({ orders: [order()], ownerOf, http })).toEqual([]);
  });

  it('reports an order missing from its owner list', async () => {
    const violations = await checkReadModel({
      orders: [order()],
      ownerOf,
      http: fakeHttp({ ada: [[]] }),
    });
    expect(violations).toEqual([expect.objectContaining({ kind: 'read-model', subject: 'ord_1' })]);
  });

  it('names every aspect the view disagrees on', async () => {
    const stale = {
      ...view,
      status: 'PENDING',
      payment: { status: 'PENDING', authorizedCents: 0, refundedCents: 0 },
      shipment: { status: 'NONE' },
    };
    const [v] = await checkReadModel({
      orders: [order()],
      ownerOf,
      http: fakeHttp({ ada: [[stale]] }),
    });
    expect(v?.detail).toMatch(/status PENDING, orders says CONFIRMED/);
    expect(v?.detail).toMatch(/payment PENDING, payments says AUTHORIZED/);
    expect(v?.detail).toMatch(/authorized\/refunded 0\/0, payments says 2400\/0/);
    expect(v?.detail).toMatch(/shipment NONE, shipping says SCHEDULED/);
  });

  it('takes a payment cancelled before its charge and a voided shipment as no events at all', async () => {
    const cancelled = order({
      status: 'CANCELLED',
      reason: 'CUSTOMER_REQUEST',
      payment: { status: 'CANCELLED_BEFORE_CHARGE', chargedCents: 0, refundedCents: 0 },
      shipment: { status: 'VOID' },
    });
    const listed = {
      ...view,
      status: 'CANCELLED',
      reason: 'CUSTOMER_REQUEST',
      payment: { status: 'PENDING', authorizedCents: 0, refundedCents: 0 },
      shipment: { status: 'NONE' },
    };
    expect(
      await checkReadModel({ orders: [cancelled], ownerOf, http: fakeHttp({ ada: [[listed]] }) }),
    ).toEqual([]);
  });
});
