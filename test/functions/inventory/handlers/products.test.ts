import { describe, expect, it, vi } from 'vitest';
import { makeGetProduct } from '../../../../functions/inventory/handlers/get-product.js';
import { makePutProduct } from '../../../../functions/inventory/handlers/put-product.js';
import { makeRestock } from '../../../../functions/inventory/handlers/restock.js';
import type {
  RestockProduct,
  RestockOutcome,
  UpsertProduct,
} from '../../../../functions/inventory/ports.js';
import { product } from '../fixtures.js';
import {
  context,
  customerClaims,
  httpEvent,
  operatorClaims,
  parseJson,
} from '../../../support/lambda-events.js';

const put = (sku: string, body: unknown, claims = operatorClaims()) =>
  httpEvent({ method: 'PUT', path: `/products/${sku}`, pathParameters: { sku }, body, claims });
const restock = (
  sku: string,
  body: unknown,
  headers: Record<string, string> = {},
  claims = operatorClaims(),
) =>
  httpEvent({
    method: 'POST',
    path: `/products/${sku}/restock`,
    pathParameters: { sku },
    body,
    headers,
    claims,
  });
const get = (sku: string) =>
  httpEvent({ method: 'GET', path: `/products/${sku}`, pathParameters: { sku } });

/** The fields a 400 names. */
const fieldsOf = (body: string | undefined) =>
  (parseJson(body)['fields'] as { field: string }[]).map((f) => f.field);

describe('PUT /products/{sku}', () => {
  const upsertReturning = (created: boolean) =>
    vi.fn<UpsertProduct>(async (d) => ({
      product: { ...product(d.sku, 0, d.priceCents), name: d.name, version: created ? 1 : 4 },
      created,
    }));

  it('creates a product: 201, a location, and the product without bookkeeping', async () => {
    const upsertProduct = upsertReturning(true);
    const res = await makePutProduct({ upsertProduct })(
      put('SKU-1', { name: 'Mug', priceCents: 1299 }),
      context,
    );
    expect(upsertProduct).toHaveBeenCalledWith({ sku: 'SKU-1', name: 'Mug', priceCents: 1299 });
    expect(res.statusCode).toBe(201);
    expect(res.headers?.['location']).toBe('/products/SKU-1');
    expect(parseJson(res.body)).toEqual({
      sku: 'SKU-1',
      name: 'Mug',
      priceCents: 1299,
      available: 0,
      reserved: 0,
    });
  });

  it('answers a customer 403 naming the operators group, and writes nothing', async () => {
    const upsertProduct = vi.fn<UpsertProduct>();
    const res = await makePutProduct({ upsertProduct })(
      put('SKU-1', { name: 'Mug', priceCents: 100 }, customerClaims('cus-1')),
      context,
    );
    expect(res.statusCode).toBe(403);
    expect(parseJson(res.body)).toMatchObject({ error: 'Forbidden', requiredGroup: 'operators' });
    expect(upsertProduct).not.toHaveBeenCalled();
  });

  it('updates an existing product: 200', async () => {
    const res = await makePutProduct({ upsertProduct: upsertReturning(false) })(
      put('SKU-1', { name: 'Mug', priceCents: 0 }),
      context,
    );
    expect(res.statusCode).toBe(200);
  });

  it.each([
    [{ name: 'Mug', priceCents: 12.5 }, 'priceCents'],
    [{ name: 'Mug', priceCents: -1 }, 'priceCents'],
    [{ name: 'Mug', priceCents: '12' }, 'priceCents'],
    [{ name: 'Mug', priceCents: 100_000_001 }, 'priceCents'],
    [{ name: '', priceCents: 1 }, 'name'],
    [{ name: '   ', priceCents: 1 }, 'name'],
    [{ name: 'x'.repeat(201), priceCents: 1 }, 'name'],
    [{ priceCents: 1 }, 'name'],
  ])('rejects %j with a 400 naming %s, and writes nothing', async (body, field) => {
    const upsertProduct = upsertReturning(true);
    const res = await makePutProduct({ upsertProduct })(put('SKU-1', body), context);
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res.body)).toContain(field);
    expect(upsertProduct).not.toHaveBeenCalled();
  });

  it('rejects unknown fields, naming them', async () => {
    const upsertProduct = upsertReturning(true);
    const res = await makePutProduct({ upsertProduct })(
      put('SKU-1', { name: 'Mug', priceCents: 1, available: 1000 }),
      context,
    );
    expect(res.statusCode).toBe(400);
    expect(parseJson(res.body)['message']).toMatch(/available/);
    expect(upsertProduct).not.toHaveBeenCalled();
  });

  it('rejects a malformed sku with a 400 naming sku', async () => {
    const upsertProduct = upsertReturning(true);
    const res = await makePutProduct({ upsertProduct })(
      put('bad sku!', { name: 'Mug', priceCents: 1 }),
      context,
    );
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res.body)).toEqual(['sku']);
    expect(upsertProduct).not.toHaveBeenCalled();
  });

  it('rejects a body that is not JSON', async () => {
    const upsertProduct = upsertReturning(true);
    const res = await makePutProduct({ upsertProduct })(put('SKU-1', '{name:'), context);
    expect(res.statusCode).toBe(400);
    expect(parseJson(res.body)['error']).toBe('MalformedJson');
    expect(upsertProduct).not.toHaveBeenCalled();
  });
});

describe('POST /products/{sku}/restock', () => {
  const restockAnswering = (result: RestockOutcome) => vi.fn<RestockProduct>(async () => result);

  it('answers a customer 403 naming the operators group, and adds nothing', async () => {
    const restockProduct = vi.fn<RestockProduct>();
    const res = await makeRestock({ restockProduct })(
      restock('SKU-1', { quantity: 10 }, {}, customerClaims('cus-1')),
      context,
    );
    expect(res.statusCode).toBe(403);
    expect(parseJson(res.body)).toMatchObject({ error: 'Forbidden', requiredGroup: 'operators' });
    expect(parseJson(res.body)['message']).toMatch(/needs the operators group/);
    expect(restockProduct).not.toHaveBeenCalled();
  });

  it('adds stock and answers the product', async () => {
    const restockProduct = restockAnswering({
      outcome: 'restocked',
      product: product('SKU-1', 15, 100, 2),
    });
    const res = await makeRestock({ restockProduct })(restock('SKU-1', { quantity: 10 }), context);
    expect(restockProduct).toHaveBeenCalledWith({
      sku: 'SKU-1',
      quantity: 10,
      idempotencyKey: undefined,
    });
    expect(res.statusCode).toBe(200);
    expect(parseJson(res.body)).toEqual({
      sku: 'SKU-1',
      name: 'Product SKU-1',
      priceCents: 100,
      available: 15,
      reserved: 2,
    });
  });

  it('passes the Idempotency-Key on, and marks a replay', async () => {
    const restockProduct = restockAnswering({ outcome: 'replayed', product: product('SKU-1', 5) });
    const res = await makeRestock({ restockProduct })(
      restock('SKU-1', { quantity: 5 }, { 'idempotency-key': 'k-1' }),
      context,
    );
    expect(restockProduct).toHaveBeenCalledWith({
      sku: 'SKU-1',
      quantity: 5,
      idempotencyKey: 'k-1',
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers?.['idempotent-replayed']).toBe('true');
  });

  it('answers 404 for an unknown SKU, saying to PUT it first', async () => {
    const res = await makeRestock({ restockProduct: restockAnswering({ outcome: 'unknown-sku' }) })(
      restock('SKU-9', { quantity: 1 }),
      context,
    );
    expect(res.statusCode).toBe(404);
    expect(parseJson(res.body)).toMatchObject({
      error: 'ProductNotFound',
      field: 'sku',
      message: expect.stringContaining('PUT /products/SKU-9'),
    });
  });

  it('answers 409 when the key was used for another request', async () => {
    const res = await makeRestock({
      restockProduct: restockAnswering({
        outcome: 'key-reused',
        original: { sku: 'SKU-1', quantity: 3 },
      }),
    })(restock('SKU-1', { quantity: 5 }, { 'idempotency-key': 'k-1' }), context);
    expect(res.statusCode).toBe(409);
    expect(parseJson(res.body)).toMatchObject({
      error: 'IdempotencyKeyReused',
      field: 'idempotency-key',
    });
  });

  it.each([
    [{ quantity: 0 }, 'quantity'],
    [{ quantity: 1_000_001 }, 'quantity'],
    [{ quantity: 1.5 }, 'quantity'],
    [{ quantity: '3' }, 'quantity'],
    [{}, 'quantity'],
  ])('rejects %j with a 400 naming %s, and writes nothing', async (body, field) => {
    const restockProduct = restockAnswering({ outcome: 'unknown-sku' });
    const res = await makeRestock({ restockProduct })(restock('SKU-1', body), context);
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res.body)).toEqual([field]);
    expect(restockProduct).not.toHaveBeenCalled();
  });

  it.each(['has space', 'x'.repeat(201), 'ümlaut'])(
    'rejects the Idempotency-Key %j with a 400 naming it',
    async (key) => {
      const restockProduct = restockAnswering({ outcome: 'unknown-sku' });
      const res = await makeRestock({ restockProduct })(
        restock('SKU-1', { quantity: 1 }, { 'idempotency-key': key }),
        context,
      );
      expect(res.statusCode).toBe(400);
      expect(fieldsOf(res.body)).toEqual(['idempotency-key']);
      expect(restockProduct).not.toHaveBeenCalled();
    },
  );

  it('rejects a malformed sku with a 400 naming sku', async () => {
    const restockProduct = restockAnswering({ outcome: 'unknown-sku' });
    const res = await makeRestock({ restockProduct })(
      restock('x'.repeat(65), { quantity: 1 }),
      context,
    );
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res.body)).toEqual(['sku']);
    expect(restockProduct).not.toHaveBeenCalled();
  });
});

describe('GET /products/{sku}', () => {
  it('answers the catalog entry and its stock', async () => {
    const res = await makeGetProduct({ getProduct: async () => product('SKU-1', 7, 450, 3) })(
      get('SKU-1'),
      context,
    );
    expect(res.statusCode).toBe(200);
    expect(parseJson(res.body)).toEqual({
      sku: 'SKU-1',
      name: 'Product SKU-1',
      priceCents: 450,
      available: 7,
      reserved: 3,
    });
  });

  it('answers 404 for an unknown SKU', async () => {
    const res = await makeGetProduct({ getProduct: async () => undefined })(get('SKU-1'), context);
    expect(res.statusCode).toBe(404);
    expect(parseJson(res.body)['error']).toBe('ProductNotFound');
  });

  it('answers 400 naming sku for a malformed one', async () => {
    const getProduct = vi.fn(async () => undefined);
    const res = await makeGetProduct({ getProduct })(get('a/b'), context);
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res.body)).toEqual(['sku']);
    expect(getProduct).not.toHaveBeenCalled();
  });
});
