import { beforeEach, describe, expect, it } from 'vitest';
import { makePlaceExport } from '../../../../functions/orders/handlers/place-export.js';
import {
  context,
  customerClaims,
  httpEvent,
  operatorClaims,
  parseJson,
} from '../../../support/lambda-events.js';
import { fakeDecryptPii, fakeEncryptPii } from '../../../support/pii.js';
import { ADA, GRACE } from './support/fixtures.js';
import { inMemoryExports } from './support/in-memory-exports.js';

const NOW = new Date('2026-12-02T10:00:00.000Z');
const body = { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z', format: 'csv' };

let store: ReturnType<typeof inMemoryExports>;
let ids: number;
let secrets: number;
let place: ReturnType<typeof makePlaceExport>;

function build(allowLoopbackCallbacks = false) {
  place = makePlaceExport({
    ...store,
    newExportId: () => `exp_${String(++ids).padStart(32, '0')}`,
    newCallbackSecret: () => `whsec_${Buffer.from(`secret-${++secrets}`).toString('base64')}`,
    now: () => NOW,
    encryptPii: fakeEncryptPii,
    decryptPii: fakeDecryptPii,
    allowLoopbackCallbacks,
  });
}

beforeEach(() => {
  store = inMemoryExports();
  ids = 0;
  secrets = 0;
  build();
});

const FIRST = `exp_${'1'.padStart(32, '0')}`;

async function post(
  payload: unknown,
  options: { key?: string | null; claims?: Record<string, string> } = {},
) {
  const key = options.key === undefined ? 'key-1' : options.key;
  const result = await place(
    httpEvent({
      method: 'POST',
      path: '/exports',
      body: payload,
      headers: key === null ? {} : { 'idempotency-key': key },
      claims: options.claims ?? customerClaims(ADA),
    }),
    context,
  );
  return {
    status: result.statusCode,
    headers: result.headers as Record<string, string>,
    body: parseJson(result.body),
  };
}

describe('POST /exports', () => {
  it('stores the export PENDING with ExportRequested and answers 202 with its link', async () => {
    const res = await post(body);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      exportId: FIRST,
      status: 'PENDING',
      links: { self: `/exports/${FIRST}` },
    });
    expect(res.headers['location']).toBe(`/exports/${FIRST}`);
    expect(res.headers['retry-after']).toBe('2');
    expect(store.jobs.get(FIRST)?.job).toMatchObject({
      status: 'PENDING',
      requestedBy: ADA,
      scope: { kind: 'customer', customerId: ADA },
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-12-01T00:00:00.000Z',
    });
    expect(store.outbox).toHaveLength(1);
    expect(store.outbox[0]).toMatchObject({
      source: 'shop.orders',
      detailType: 'ExportRequested',
      detail: {
        metadata: { correlationId: FIRST, causationId: 'req-1' },
        data: { exportId: FIRST, requestedBy: ADA, hasCallback: false },
      },
    });
  });

  it('answers the same for the same key and body, and writes nothing more', async () => {
    const first = await post(body);
    const again = await post({ ...body });
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(store.jobs.size).toBe(1);
    expect(store.outbox).toHaveLength(1);
  });

  it('refuses the same key with another body, or from another caller, with a 409', async () => {
    await post(body);
    const other = await post({ ...body, to: '2026-11-15T00:00:00Z' });
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({
      error: 'IdempotencyKeyReused',
      field: 'headers.Idempotency-Key',
    });
    const grace = await post(body, { claims: customerClaims(GRACE) });
    expect(grace.status).toBe(409);
    expect(store.jobs.size).toBe(1);
  });

  it('needs an Idempotency-Key', async () => {
    const res = await post(body, { key: null });
    expect(res.status).toBe(400);
    expect(res.body['fields']).toEqual([{ field: 'headers.Idempotency-Key', problem: 'required' }]);
  });

  it.each([
    [{ ...body, to: '2026-10-01T00:00:00Z' }, 'to'],
    [{ ...body, to: body.from }, 'to'],
    [{ ...body, from: '2025-01-01T00:00:00Z', to: '2026-01-03T00:00:00Z' }, 'to'],
    [{ ...body, from: 'yesterday' }, 'from'],
    [{ ...body, to: '2026-12-01' }, 'to'],
    [{ ...body, format: 'xlsx' }, 'format'],
    [{ from: body.from, to: body.to }, 'format'],
    [{ ...body, callbackUrl: 'http://example.com/hook' }, 'callbackUrl'],
    [{ ...body, callbackUrl: 'http://127.0.0.1:9000/hook' }, 'callbackUrl'],
    [{ ...body, callbackUrl: 'not a url' }, 'callbackUrl'],
    [{ ...body, customerId: GRACE, scope: 'all' }, 'scope'],
    [{ ...body, extra: 1 }, '(root)'],
  ])('refuses %j with a 400 naming %s, writing nothing', async (payload, field) => {
    const res = await post(payload);
    expect(res.status).toBe(400);
    const fields = (res.body['fields'] as { field: string }[]).map((f) => f.field);
    expect(fields).toContain(field);
    expect(store.jobs.size).toBe(0);
    expect(store.keys.size).toBe(0);
  });

  it('accepts a window of exactly 366 days', async () => {
    const res = await post({ ...body, from: '2025-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' });
    expect(res.status).toBe(202);
  });

  it('accepts loopback http callbacks only on a local run', async () => {
    build(true);
    const local = await post({ ...body, callbackUrl: 'http://127.0.0.1:9000/hook' });
    expect(local.status).toBe(202);
    const remote = await post(
      { ...body, callbackUrl: 'http://example.com/hook' },
      { key: 'key-2' },
    );
    expect(remote.status).toBe(400);
  });

  it('with a callback, answers a whsec_ secret, stores it sealed, and keeps it out of the event', async () => {
    const res = await post({ ...body, callbackUrl: 'https://example.com/hook?token=1' });
    expect(res.status).toBe(202);
    const secret = res.body['callbackSecret'] as string;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
    const { callback } = store.jobs.get(FIRST)!.job;
    expect(callback?.url).toBe('https://example.com/hook?token=1');
    expect(callback?.secretCiphertext).toMatch(/^pii:v1:/);
    expect(callback?.secretCiphertext).not.toContain(secret);
    expect(await fakeDecryptPii('exportCallbackSecret', callback!.secretCiphertext, FIRST)).toBe(
      secret,
    );
    expect(JSON.stringify(store.outbox)).not.toContain(secret);
    expect(JSON.stringify(store.outbox)).not.toContain('example.com');
    expect(store.outbox[0]!.detail.data).toMatchObject({ hasCallback: true });
    // A replay answers the same secret: the caller may have lost the first answer.
    const again = await post({ ...body, callbackUrl: 'https://example.com/hook?token=1' });
    expect(again.body['callbackSecret']).toBe(secret);
  });

  it("lets only operators export another customer's or everyone's orders", async () => {
    const mine = await post({ ...body, customerId: ADA });
    expect(mine.status).toBe(202);
    for (const payload of [
      { ...body, customerId: GRACE },
      { ...body, scope: 'all' },
    ]) {
      const res = await post(payload, { key: `k-${JSON.stringify(payload)}` });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ requiredGroup: 'operators' });
    }
    const report = await post(
      { ...body, scope: 'all' },
      { key: 'op-1', claims: operatorClaims('admin') },
    );
    expect(report.status).toBe(202);
    const forGrace = await post(
      { ...body, customerId: GRACE },
      { key: 'op-2', claims: operatorClaims('admin') },
    );
    expect(forGrace.status).toBe(202);
    const scopes = [...store.jobs.values()].map((s) => s.job.scope);
    expect(scopes).toContainEqual({ kind: 'all' });
    expect(scopes).toContainEqual({ kind: 'customer', customerId: GRACE });
  });

  it('needs a signed-in caller', async () => {
    const result = await place(
      httpEvent({ method: 'POST', path: '/exports', body, headers: { 'idempotency-key': 'k' } }),
      context,
    );
    expect(result.statusCode).toBe(401);
  });
});
