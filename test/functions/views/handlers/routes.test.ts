import { describe, expect, it } from 'vitest';
import type { JourneyEvent } from '../../../../functions/views/domain/journey.js';
import { makeGetTimeline } from '../../../../functions/views/handlers/get-timeline.js';
import { encodeToken, makeListOrders } from '../../../../functions/views/handlers/list-orders.js';
import { makeOnEvent } from '../../../../functions/views/handlers/on-event.js';
import {
  busMessage,
  context,
  customerClaims,
  httpEvent,
  operatorClaims,
  parseJson,
  sqsEvent,
} from '../../../support/lambda-events.js';
import { CUSTOMER, journeys } from '../fixtures.js';
import { inMemoryViews } from '../support/in-memory-views.js';

const message = (e: JourneyEvent) =>
  busMessage({ source: e.source, detailType: e['detail-type'], detail: structuredClone(e.detail) });

/** Three of ada's orders, placed a second apart: 1 completed, 2 out of stock, 3 declined. */
async function seeded(pointer = { active: 1 }) {
  const table = inMemoryViews(pointer);
  const consume = makeOnEvent(table);
  const names = ['completed', 'outOfStock', 'declined'];
  for (const [i, name] of names.entries()) {
    const events = journeys(`ord_${i + 1}`)[name]!.map((e) => {
      const shifted = structuredClone(e);
      if (shifted['detail-type'] === 'OrderPlaced') {
        shifted.detail.data.placedAt = `2026-05-0${i + 1}T10:00:00.000Z`;
      }
      return shifted;
    });
    await consume(sqsEvent(...events.map(message)), context);
  }
  return table;
}

const listAs = (claims: Record<string, string>, query?: Record<string, string>) =>
  httpEvent({
    method: 'GET',
    path: '/customers/me/orders',
    queryStringParameters: query,
    claims,
  });

const timelineAs = (claims: Record<string, string>, orderId: string) =>
  httpEvent({
    method: 'GET',
    path: `/orders/${orderId}/timeline`,
    pathParameters: { orderId },
    claims,
  });

const ada = customerClaims(CUSTOMER);
const fieldsOf = (body: string | undefined) =>
  (parseJson(body)['fields'] as { field: string }[]).map((f) => f.field);

describe('GET /customers/me/orders', () => {
  it("answers the caller's orders newest first, each composed with its payment and shipment", async () => {
    const res = await makeListOrders(await seeded())(listAs(ada), context);
    expect(res.statusCode).toBe(200);
    const { orders, nextToken } = parseJson(res.body) as {
      orders: Record<string, unknown>[];
      nextToken?: string;
    };
    expect(nextToken).toBeUndefined();
    expect(orders.map((o) => [o['orderId'], o['status']])).toEqual([
      ['ord_3', 'CANCELLED'],
      ['ord_2', 'CANCELLED'],
      ['ord_1', 'COMPLETED'],
    ]);
    expect(orders[2]).toMatchObject({
      payment: { status: 'AUTHORIZED', authorizedCents: 4900, refundedCents: 0 },
      shipment: { status: 'DELIVERED', carrier: 'ACME', trackingNumber: 'TRK1' },
      placedAt: '2026-05-01T10:00:00.000Z',
    });
  });

  it('pages with limit and an opaque nextToken passed back unchanged', async () => {
    const list = makeListOrders(await seeded());
    const first = parseJson((await list(listAs(ada, { limit: '2' }), context)).body);
    expect((first['orders'] as { orderId: string }[]).map((o) => o.orderId)).toEqual([
      'ord_3',
      'ord_2',
    ]);
    const token = first['nextToken'] as string;
    expect(token).toBe(encodeToken({ placedAt: '2026-05-02T10:00:00.000Z', orderId: 'ord_2' }));
    const second = parseJson(
      (await list(listAs(ada, { limit: '2', nextToken: token }), context)).body,
    );
    expect((second['orders'] as { orderId: string }[]).map((o) => o.orderId)).toEqual(['ord_1']);
  });

  it('filters by status', async () => {
    const res = await makeListOrders(await seeded())(listAs(ada, { status: 'COMPLETED' }), context);
    expect((parseJson(res.body)['orders'] as { orderId: string }[]).map((o) => o.orderId)).toEqual([
      'ord_1',
    ]);
  });

  it('reads the version the pointer names active', async () => {
    const table = await seeded();
    table.state.pointer = { active: 2 };
    const res = await makeListOrders(table)(listAs(ada), context);
    expect(parseJson(res.body)['orders']).toEqual([]);
  });

  it('shows another customer nothing of ada', async () => {
    const res = await makeListOrders(await seeded())(listAs(customerClaims('cus_grace')), context);
    expect(parseJson(res.body)['orders']).toEqual([]);
  });

  it("lets an operator read ada's list with ?customerId=, and refuses a customer with 403", async () => {
    const list = makeListOrders(await seeded());
    const asOperator = await list(listAs(operatorClaims(), { customerId: CUSTOMER }), context);
    expect((parseJson(asOperator.body)['orders'] as unknown[]).length).toBe(3);
    const asGrace = await list(
      listAs(customerClaims('cus_grace'), { customerId: CUSTOMER }),
      context,
    );
    expect(asGrace.statusCode).toBe(403);
    expect(parseJson(asGrace.body)['requiredGroup']).toBe('operators');
    const own = await list(listAs(ada, { customerId: CUSTOMER }), context);
    expect(own.statusCode).toBe(200);
  });

  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: '101' }, 'limit'],
    [{ limit: 'ten' }, 'limit'],
    [{ nextToken: 'not-a-token' }, 'nextToken'],
    [
      { nextToken: Buffer.from('{"placedAt":"x","orderId":"y"}').toString('base64url') },
      'nextToken',
    ],
    [{ status: 'SHIPPED' }, 'status'],
    [{ customerId: 'not valid!' }, 'customerId'],
    [{ sort: 'asc' }, '(root)'],
  ])('answers 400 naming the field for %j', async (query, field) => {
    const res = await makeListOrders(await seeded())(listAs(ada, query), context);
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res.body)).toEqual([field]);
  });

  it('answers 401 without a signed-in caller', async () => {
    const res = await makeListOrders(await seeded())(
      httpEvent({ method: 'GET', path: '/customers/me/orders' }),
      context,
    );
    expect(res.statusCode).toBe(401);
  });
});

describe('GET /orders/{orderId}/timeline', () => {
  it('answers the events of the order in causal order to its owner', async () => {
    const res = await makeGetTimeline(await seeded())(timelineAs(ada, 'ord_1'), context);
    expect(res.statusCode).toBe(200);
    const body = parseJson(res.body) as { orderId: string; events: { type: string }[] };
    expect(body.orderId).toBe('ord_1');
    expect(body.events.map((e) => e.type)).toEqual([
      'OrderPlaced',
      'StockReserved',
      'PaymentAuthorized',
      'OrderConfirmed',
      'ShipmentScheduled',
      'ShipmentDispatched',
      'ShipmentDelivered',
      'OrderCompleted',
    ]);
    expect(Object.keys(body.events[0]!).sort()).toEqual(
      ['causationId', 'eventId', 'occurredAt', 'source', 'type'].sort(),
    );
  });

  it('answers an operator too', async () => {
    const res = await makeGetTimeline(await seeded())(
      timelineAs(operatorClaims(), 'ord_1'),
      context,
    );
    expect(res.statusCode).toBe(200);
  });

  it("answers 404 for someone else's order, exactly as for an unknown one", async () => {
    const get = makeGetTimeline(await seeded());
    const theirs = await get(timelineAs(customerClaims('cus_grace'), 'ord_1'), context);
    const unknown = await get(timelineAs(ada, 'ord_404'), context);
    expect(theirs.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(Object.keys(parseJson(theirs.body))).toEqual(Object.keys(parseJson(unknown.body)));
  });

  it('answers 400 naming orderId for a bad id', async () => {
    const res = await makeGetTimeline(await seeded())(timelineAs(ada, 'bad id!'), context);
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res.body)).toEqual(['orderId']);
  });
});
