import { beforeEach, describe, expect, it } from 'vitest';
import { makeGetOrder } from '../../../../functions/orders/handlers/get-order.js';
import {
  AMOUNT,
  answer,
  at,
  dispatchRecorded,
  httpEvent,
  lambdaContext,
  lines,
  ORDER_ID,
  orderCancelled,
  orderCompleted,
  orderConfirmed,
  orderAfter,
  orderPlaced,
  pricedLines,
  SHIPMENT_ID,
  stockPriced,
} from '../support/fixtures.js';
import { customerClaims, operatorClaims } from '../../../support/lambda-events.js';
import { inMemoryStore, type InMemoryStore } from '../support/in-memory-store.js';

let store: InMemoryStore;
let getOrder: ReturnType<typeof makeGetOrder>;
beforeEach(() => {
  store = inMemoryStore();
  getOrder = makeGetOrder(store);
});

const get = async (orderId: string, claims?: Record<string, string> | null) =>
  answer(await getOrder(httpEvent({ pathParameters: { orderId }, claims }), lambdaContext));

describe('GET /orders/{orderId}', () => {
  it('shows a PENDING order with its lines, timestamps and a cancel link', async () => {
    store.seed(orderAfter(orderPlaced()));
    const res = await get(ORDER_ID);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      orderId: ORDER_ID,
      status: 'PENDING',
      lines,
      placedAt: at(0),
      updatedAt: at(0),
      links: { self: `/orders/${ORDER_ID}`, cancel: `/orders/${ORDER_ID}/cancel` },
    });
    expect(res.body).not.toHaveProperty('amountCents');
    expect(res.body).not.toHaveProperty('paymentToken');
    expect(res.body).toMatchObject({ shippingAddressOnFile: true });
    expect(JSON.stringify(res.body)).not.toMatch(/pii:v1|shippingAddressCiphertext|Lovelace/);
  });

  it('shows the priced lines and amount once known', async () => {
    store.seed(orderAfter(orderPlaced(), stockPriced(), orderConfirmed()));
    const res = await get(ORDER_ID);

    expect(res.body).toMatchObject({
      status: 'CONFIRMED',
      lines: pricedLines,
      amountCents: AMOUNT,
      currency: 'USD',
      confirmedAt: at(2),
    });
  });

  it('shows the shipment and no cancel link once dispatched', async () => {
    store.seed(orderAfter(orderPlaced(), stockPriced(), orderConfirmed(), dispatchRecorded()));
    const res = await get(ORDER_ID);

    expect(res.body).toMatchObject({ shipmentId: SHIPMENT_ID, dispatchedAt: at(4) });
    expect(res.body.links).toEqual({ self: `/orders/${ORDER_ID}` });
  });

  it('shows why a CANCELLED order was cancelled, and when', async () => {
    store.seed(orderAfter(orderPlaced(), orderCancelled('OUT_OF_STOCK')));
    const res = await get(ORDER_ID);

    expect(res.body).toMatchObject({
      status: 'CANCELLED',
      reason: 'OUT_OF_STOCK',
      cancelledAt: at(3),
    });
  });

  it('shows a COMPLETED order with its completion time', async () => {
    store.seed(
      orderAfter(
        orderPlaced(),
        stockPriced(),
        orderConfirmed(),
        dispatchRecorded(),
        orderCompleted(),
      ),
    );
    const res = await get(ORDER_ID);

    expect(res.body).toMatchObject({
      status: 'COMPLETED',
      completedAt: at(5),
      shipmentId: SHIPMENT_ID,
    });
  });

  it('answers 404 naming the id when there is no such order', async () => {
    const res = await get(ORDER_ID);

    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: 'OrderNotFound', orderId: ORDER_ID });
    expect(res.body.message).toContain(ORDER_ID);
  });

  it('answers 400 naming orderId when it is not an order id', async () => {
    const res = await get('not-an-order');

    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual([
      expect.objectContaining({ field: 'orderId', problem: expect.stringMatching(/ord_/) }),
    ]);
  });

  describe('who may see it', () => {
    beforeEach(() => store.seed(orderAfter(orderPlaced())));

    it('shows the order to an operator', async () => {
      const res = await get(ORDER_ID, operatorClaims());

      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ orderId: ORDER_ID });
    });

    it("answers another customer's request with the very 404 of a missing order", async () => {
      const other = await get(ORDER_ID, customerClaims('someone-else'));
      store.orders.clear();
      const missing = await get(ORDER_ID);

      expect(other.status).toBe(404);
      expect(other.body).toEqual(missing.body);
    });

    it('answers 401 without the authorizer claims', async () => {
      expect((await get(ORDER_ID, null)).status).toBe(401);
    });
  });
});
