import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DomainEvent } from '#events/contract.js';
import { makeCarrierWebhook } from '../../../functions/shipping/handlers/carrier-webhook.js';
import { makeGetShipment } from '../../../functions/shipping/handlers/get-shipment.js';
import { makeHandle } from '../../../functions/shipping/handlers/on-event.js';
import { carrierSignature } from '../../../harness/carrier/sign.js';
import type { LoadShipment, SaveShipment, Stored } from '../../../functions/shipping/ports.js';
import { address, cancelled, clock, confirmed, delivered } from './fixtures.js';
import { fakeDecryptPii } from '../../support/pii.js';
import { customerClaims, operatorClaims } from '../../support/lambda-events.js';

const SECRET = 'whsec_test_0123456789';
const NOW = 1_800_000_000;

/** An in-memory store with the same version semantics as the DynamoDB adapter. */
function memoryStore() {
  const rows = new Map<string, Stored>();
  const handled = new Set<string>();
  const published: DomainEvent[] = [];
  const load: LoadShipment = async (id) => structuredClone(rows.get(id));
  const save: SaveShipment = async (c) => {
    if (c.handledEventId && handled.has(c.handledEventId)) return 'duplicate';
    if ((rows.get(c.shipmentId)?.version ?? 0) !== c.expectedVersion) throw new Error('conflict');
    rows.set(c.shipmentId, { state: c.next, version: c.expectedVersion + 1 });
    if (c.handledEventId) handled.add(c.handledEventId);
    published.push(...c.events);
    return 'committed';
  };
  return { rows, load, save, published };
}

const context = { awsRequestId: 'req-1' } as Context;

function request(
  shipmentId: string,
  body: string,
  headers: Record<string, string> = {},
): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'POST /shipments/{shipmentId}/events',
    rawPath: `/shipments/${shipmentId}/events`,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...headers },
    pathParameters: { shipmentId },
    requestContext: {
      requestId: 'req-1',
      http: { method: 'POST' },
    } as unknown as APIGatewayProxyEventV2['requestContext'],
    body,
    isBase64Encoded: false,
  };
}

const carrierEvent = (type: 'DISPATCHED' | 'DELIVERED', eventId = `c-${type}`) =>
  JSON.stringify({
    eventId,
    type,
    carrier: 'ACME',
    trackingNumber: 'TRK1',
    occurredAt: '2026-11-22T09:00:00.000Z',
  });

describe('shipping handlers', () => {
  let store: ReturnType<typeof memoryStore>;
  let onEvent: ReturnType<typeof makeHandle>;
  let webhook: ReturnType<typeof makeCarrierWebhook>;
  const signed = (id: string, body: string) =>
    webhook(
      request(id, body, {
        'x-carrier-signature': carrierSignature(
          SECRET,
          { method: 'POST', path: `/shipments/${id}/events`, body: body },
          NOW,
        ),
      }),
      context,
    );

  beforeEach(() => {
    store = memoryStore();
    onEvent = makeHandle({ load: store.load, save: store.save, clock });
    webhook = makeCarrierWebhook({
      load: store.load,
      save: store.save,
      secrets: async () => [SECRET],
      clock,
      nowSeconds: () => NOW,
    });
  });

  it('schedules once per order, however often OrderConfirmed is delivered', async () => {
    const event = delivered(confirmed());
    await onEvent(event);
    await onEvent(event);
    expect(store.published.map((e) => e.detailType)).toEqual(['ShipmentScheduled']);
    expect(store.rows.get('shp_ord_1')).toMatchObject({
      version: 1,
      state: { status: 'SCHEDULED' },
    });
  });

  it('a cancellation that overtakes the confirmation leaves no shipment', async () => {
    await onEvent(delivered(cancelled()));
    await onEvent(delivered(confirmed()));
    expect(store.published).toEqual([]);
    expect(store.rows.get('shp_ord_1')?.state.status).toBe('VOID');
  });

  it('carrier webhooks move the shipment to DISPATCHED then DELIVERED', async () => {
    await onEvent(delivered(confirmed()));
    const first = await signed('shp_ord_1', carrierEvent('DISPATCHED'));
    expect(first.statusCode).toBe(200);
    expect(JSON.parse(first.body!)).toMatchObject({ status: 'DISPATCHED', trackingNumber: 'TRK1' });
    const again = await signed('shp_ord_1', carrierEvent('DISPATCHED'));
    expect(again.statusCode).toBe(200);
    const second = await signed('shp_ord_1', carrierEvent('DELIVERED'));
    expect(JSON.parse(second.body!)).toMatchObject({ status: 'DELIVERED' });
    expect(store.published.map((e) => e.detailType)).toEqual([
      'ShipmentScheduled',
      'ShipmentDispatched',
      'ShipmentDelivered',
    ]);
    expect(store.published[1]!.detail.metadata).toMatchObject({
      correlationId: 'ord_1',
      causationId: 'carrier:c-DISPATCHED',
    });
  });

  it('rejects an unsigned or wrongly signed webhook with 401, writing nothing', async () => {
    await onEvent(delivered(confirmed()));
    const body = carrierEvent('DISPATCHED');
    const unsigned = await webhook(request('shp_ord_1', body), context);
    expect(unsigned.statusCode).toBe(401);
    expect(JSON.parse(unsigned.body!).message).toMatch(/x-carrier-signature/);
    const forged = await webhook(
      request('shp_ord_1', body, {
        'x-carrier-signature': carrierSignature(
          'whsec_wrong_secret_x',
          { method: 'POST', path: `/shipments/shp_ord_1/events`, body: body },
          NOW,
        ),
      }),
      context,
    );
    expect(forged.statusCode).toBe(401);
    expect(store.rows.get('shp_ord_1')?.version).toBe(1);
  });

  it('answers 400 naming the field for a bad carrier event, writing nothing', async () => {
    await onEvent(delivered(confirmed()));
    const bad = JSON.stringify({
      eventId: 'c1',
      type: 'LOST',
      carrier: 'ACME',
      trackingNumber: 'T',
    });
    const res = await signed('shp_ord_1', bad);
    expect(res.statusCode).toBe(400);
    const problem = JSON.parse(res.body!);
    expect(problem.fields.map((f: { field: string }) => f.field)).toEqual(['type', 'occurredAt']);
    expect(store.rows.get('shp_ord_1')?.version).toBe(1);
  });

  it('answers 409 for delivery before dispatch and 404 for an unknown shipment', async () => {
    await onEvent(delivered(confirmed()));
    const early = await signed('shp_ord_1', carrierEvent('DELIVERED'));
    expect(early.statusCode).toBe(409);
    expect(JSON.parse(early.body!)).toMatchObject({
      error: 'InvalidTransition',
      status: 'SCHEDULED',
    });
    const unknown = await signed('shp_nope', carrierEvent('DISPATCHED'));
    expect(unknown.statusCode).toBe(404);
  });

  it('GET /shipments/{id}: 200 with the shipment, 404 when none, 400 for a malformed id', async () => {
    await onEvent(delivered(confirmed()));
    const get = makeGetShipment({ load: store.load, decryptPii: fakeDecryptPii });
    const ok = await get(asCaller(customerClaims('cus_1'), 'shp_ord_1'), context);
    expect(ok.statusCode).toBe(200);
    expect(JSON.parse(ok.body!)).toMatchObject({
      shipmentId: 'shp_ord_1',
      orderId: 'ord_1',
      status: 'SCHEDULED',
      shippingAddress: address,
    });
    expect(ok.body).not.toContain('pii:v1');
    const missing = await get(asCaller(customerClaims('cus_1'), 'shp_x'), context);
    expect(missing.statusCode).toBe(404);
    const bad = await get(asCaller(customerClaims('cus_1'), 'bad id!'), context);
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body!).fields[0].field).toBe('shipmentId');
  });

  it('GET /shipments/{id}: an operator sees it; another customer gets the 404 of none, nothing decrypted', async () => {
    await onEvent(delivered(confirmed()));
    const decryptPii = vi.fn(fakeDecryptPii);
    const get = makeGetShipment({ load: store.load, decryptPii });

    const operator = await get(asCaller(operatorClaims(), 'shp_ord_1'), context);
    expect(operator.statusCode).toBe(200);

    decryptPii.mockClear();
    const other = await get(asCaller(customerClaims('cus_2'), 'shp_ord_1'), context);
    const none = await get(asCaller(customerClaims('cus_2'), 'shp_x'), context);
    expect(other.statusCode).toBe(404);
    expect(JSON.parse(other.body!).error).toBe(JSON.parse(none.body!).error);
    expect(decryptPii).not.toHaveBeenCalled();
  });
});

/** A GET /shipments/{id} with the authorizer's claims. */
function asCaller(claims: Record<string, string>, shipmentId: string): APIGatewayProxyEventV2 {
  const base = request(shipmentId, '');
  return {
    ...base,
    routeKey: 'GET /shipments/{shipmentId}',
    pathParameters: { shipmentId },
    requestContext: {
      ...base.requestContext,
      authorizer: { jwt: { claims, scopes: null } },
    } as unknown as APIGatewayProxyEventV2['requestContext'],
  };
}
