import { beforeEach, describe, expect, it, vi } from 'vitest';
import { makePlaceOrder } from '../../../../functions/orders/handlers/place-order.js';
import { ConcurrentUpdateError } from '#plumbing/outbox.js';
import {
  answer,
  CUSTOMER_ID,
  httpEvent,
  lambdaContext,
  shippingAddress,
} from '../support/fixtures.js';
import { customerClaims } from '../../../support/lambda-events.js';
import { fakeDecryptPii, fakeEncryptPii } from '../../../support/pii.js';
import { inMemoryStore, type InMemoryStore } from '../support/in-memory-store.js';

const NOW = new Date('2026-01-01T10:00:00.000Z');
const body = {
  lines: [
    { sku: 'SKU-1', quantity: 2 },
    { sku: 'SKU-2', quantity: 1 },
  ],
  paymentToken: 'tok_approve',
  shippingAddress,
};

let store: InMemoryStore;
let ids: number;
let placeOrder: ReturnType<typeof makePlaceOrder>;

beforeEach(() => {
  store = inMemoryStore();
  ids = 0;
  placeOrder = makePlaceOrder({
    ...store,
    newOrderId: () => `ord_${String(++ids).padStart(32, '0')}`,
    now: () => NOW,
    encryptPii: fakeEncryptPii,
  });
});

const post = async (
  payload: unknown,
  headers: Record<string, string> = { 'idempotency-key': 'key-1' },
  requestId = 'req-1',
  claims: Record<string, string> | null = customerClaims(CUSTOMER_ID),
) =>
  answer(await placeOrder(httpEvent({ body: payload, headers, requestId, claims }), lambdaContext));

const FIRST_ID = `ord_${'1'.padStart(32, '0')}`;

describe('POST /orders', () => {
  it('stores the order PENDING with OrderPlaced and answers 202 with its id and link', async () => {
    const res = await post(body);

    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      orderId: FIRST_ID,
      status: 'PENDING',
      links: { self: `/orders/${FIRST_ID}` },
    });
    expect(res.headers.location).toBe(`/orders/${FIRST_ID}`);

    expect(store.orders.get(FIRST_ID)).toMatchObject({
      version: 1,
      order: {
        status: 'PENDING',
        customerId: CUSTOMER_ID,
        lines: body.lines,
        placedAt: NOW.toISOString(),
      },
    });
    expect(store.outbox).toHaveLength(1);
    expect(store.outbox[0]).toMatchObject({
      source: 'shop.orders',
      detailType: 'OrderPlaced',
      detail: {
        metadata: { correlationId: FIRST_ID, causationId: 'req-1', occurredAt: NOW.toISOString() },
        data: {
          orderId: FIRST_ID,
          customerId: CUSTOMER_ID,
          lines: body.lines,
          paymentTokenCiphertext: expect.stringMatching(/^pii:v1:/),
          shippingAddressCiphertext: expect.stringMatching(/^pii:v1:/),
          placedAt: NOW.toISOString(),
        },
      },
    });
    expect(store.keys.get('key-1')).toEqual({
      key: 'key-1',
      requestHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      orderId: FIRST_ID,
    });
  });

  it('claims the key in the same transaction as the order, reading no key for a new order', async () => {
    const find = vi.spyOn(store, 'findIdempotencyKey');
    placeOrder = makePlaceOrder({
      ...store,
      newOrderId: () => `ord_${String(++ids).padStart(32, '0')}`,
      now: () => NOW,
      encryptPii: fakeEncryptPii,
    });

    expect((await post(body)).status).toBe(202);
    expect(find).not.toHaveBeenCalled();

    // A retry finds its key taken, and only then reads it back.
    expect((await post(body, { 'idempotency-key': 'key-1' }, 'req-2')).status).toBe(202);
    expect(find).toHaveBeenCalledTimes(1);
  });

  it('stores and emits the token and the address only sealed for this order, each for its field', async () => {
    await post(body);

    const data = store.outbox[0]!.detail.data as Record<string, string>;
    const stored = JSON.stringify([...store.orders.values()]) + JSON.stringify(store.outbox);
    expect(stored).not.toContain('tok_approve');
    expect(stored).not.toContain(shippingAddress.line1);
    expect(data).not.toHaveProperty('paymentToken');
    expect(data).not.toHaveProperty('shippingAddress');
    expect(await fakeDecryptPii('paymentToken', data['paymentTokenCiphertext']!, FIRST_ID)).toBe(
      'tok_approve',
    );
    const address = await fakeDecryptPii(
      'shippingAddress',
      data['shippingAddressCiphertext']!,
      FIRST_ID,
    );
    expect(JSON.parse(address)).toEqual(shippingAddress);
    expect(store.orders.get(FIRST_ID)!.order.shippingAddressCiphertext).toBe(
      data['shippingAddressCiphertext'],
    );
  });
  it('answers a retry with the same key and body with the same order, creating nothing', async () => {
    await post(body);
    // Same content, different key order and formatting: the canonical body is what counts.
    const again = await post(
      `{ "shippingAddress": ${JSON.stringify(shippingAddress)}, "paymentToken": "tok_approve",
         "lines": ${JSON.stringify(body.lines)} }`,
      { 'Idempotency-Key': 'key-1' },
      'req-2',
    );

    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ orderId: FIRST_ID, status: 'PENDING' });
    expect(again.headers.location).toBe(`/orders/${FIRST_ID}`);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(store.orders.size).toBe(1);
    expect(store.outbox).toHaveLength(1);
    expect(store.writes).toBe(1);
  });

  it('answers 409 when the key was used with another body, and writes nothing', async () => {
    await post(body);
    const res = await post({ ...body, lines: [{ sku: 'SKU-1', quantity: 3 }] });

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: 'IdempotencyKeyReused' });
    expect(res.body.message).toMatch(
      /Idempotency-Key "key-1" was already used with a different request body/,
    );
    expect(store.writes).toBe(1);
  });

  it('makes one order of two concurrent requests with the same key', async () => {
    const createOrder = vi.fn(store.createOrder);
    placeOrder = makePlaceOrder({
      ...store,
      createOrder,
      newOrderId: () => `ord_${String(++ids).padStart(32, '0')}`,
      now: () => NOW,
      encryptPii: fakeEncryptPii,
    });

    const [a, b] = await Promise.all([post(body), post(body, undefined, 'req-2')]);

    expect(createOrder).toHaveBeenCalledTimes(2); // both saw the key free; one lost the claim
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(a.body.orderId).toBe(b.body.orderId);
    expect(store.orders.size).toBe(1);
    expect(store.outbox).toHaveLength(1);
  });

  it('retries when the transaction collided with another (TransactionConflict)', async () => {
    const createOrder = vi
      .fn(store.createOrder)
      .mockRejectedValueOnce(new ConcurrentUpdateError(['None', 'TransactionConflict']));
    placeOrder = makePlaceOrder({
      ...store,
      createOrder,
      newOrderId: () => `ord_${String(++ids).padStart(32, '0')}`,
      now: () => NOW,
      encryptPii: fakeEncryptPii,
    });

    const res = await post(body);

    expect(res.status).toBe(202);
    expect(store.orders.size).toBe(1);
  });

  it('places the order for the token subject, whoever the customer is', async () => {
    const res = await post(body, undefined, 'req-1', customerClaims('someone-else'));

    expect(res.status).toBe(202);
    expect(store.orders.get(FIRST_ID)?.order.customerId).toBe('someone-else');
  });

  it('answers 409 when another customer reuses a key with the same body, never their order', async () => {
    await post(body);
    const res = await post(body, undefined, 'req-2', customerClaims('someone-else'));

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: 'IdempotencyKeyReused' });
    expect(store.orders.size).toBe(1);
  });

  it('answers 401 without the authorizer claims, and writes nothing', async () => {
    const res = await post(body, undefined, 'req-1', null);

    expect(res.status).toBe(401);
    expect(store.writes).toBe(0);
  });

  describe('bad input: 400 naming the problem, nothing written', () => {
    const cases: [string, unknown, Record<string, string> | undefined, RegExp, string?][] = [
      [
        'missing Idempotency-Key',
        body,
        {},
        /Header Idempotency-Key is required/,
        'headers.Idempotency-Key',
      ],
      [
        'an over-long Idempotency-Key',
        body,
        { 'idempotency-key': 'k'.repeat(129) },
        /at most 128 characters/,
        'headers.Idempotency-Key',
      ],
      [
        'a non-printable Idempotency-Key',
        body,
        { 'idempotency-key': 'key\u0007' },
        /printable ASCII/,
        'headers.Idempotency-Key',
      ],
      ['an unknown field', { ...body, coupon: 'FREE' }, undefined, /Unrecognized key: "coupon"/],
      [
        'an unknown address field',
        { ...body, shippingAddress: { ...shippingAddress, floor: 3 } },
        undefined,
        /shippingAddress: Unrecognized key: "floor"/,
      ],
      [
        'a missing city',
        { ...body, shippingAddress: { ...shippingAddress, city: undefined } },
        undefined,
        /shippingAddress\.city/,
        'shippingAddress.city',
      ],
      ['no lines', { ...body, lines: [] }, undefined, /lines must hold at least one line/, 'lines'],
      [
        '51 lines',
        { ...body, lines: Array.from({ length: 51 }, (_, i) => ({ sku: `S${i}`, quantity: 1 })) },
        undefined,
        /at most 50 lines/,
        'lines',
      ],
      [
        'a duplicated SKU',
        { ...body, lines: [...body.lines, { sku: 'SKU-1', quantity: 5 }] },
        undefined,
        /sku "SKU-1" appears in lines 0 and 2/,
        'lines.2.sku',
      ],
      [
        'a zero quantity',
        { ...body, lines: [{ sku: 'SKU-1', quantity: 0 }] },
        undefined,
        /lines\.0\.quantity/,
        'lines.0.quantity',
      ],
      [
        'a bad country',
        { ...body, shippingAddress: { ...shippingAddress, country: 'gb' } },
        undefined,
        /alpha-2/,
        'shippingAddress.country',
      ],
      [
        'a missing payment token',
        { ...body, paymentToken: undefined },
        undefined,
        /paymentToken/,
        'paymentToken',
      ],
      ['malformed JSON', '{"lines": ', undefined, /not valid JSON/],
      [
        'a customerId in the body',
        { ...body, customerId: CUSTOMER_ID },
        undefined,
        /customerId is taken from your sign-in token; remove it from the body/,
        'customerId',
      ],
      ['an empty body', undefined, undefined, /body is empty/],
    ];

    it.each(cases)('%s', async (_name, payload, headers, message, field) => {
      const res = await post(payload, headers ?? { 'idempotency-key': 'key-1' });

      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(message);
      if (field) {
        expect(res.body.fields).toEqual(
          expect.arrayContaining([expect.objectContaining({ field })]),
        );
      }
      expect(store.writes).toBe(0);
      expect(store.keys.size).toBe(0);
      expect(store.outbox).toHaveLength(0);
    });
  });
});
