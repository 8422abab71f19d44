import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  startPaymentProvider,
  type PaymentProvider,
} from '../../../harness/payment-provider/server.js';

let provider: PaymentProvider;

beforeAll(async () => {
  provider = await startPaymentProvider({ port: 0, seed: 42 });
});
afterAll(() => provider.stop());
afterEach(() => provider.control.reset());

interface Reply {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string; param?: string } };
  headers: Headers;
}

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  base = provider.url,
): Promise<Reply> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Reply['body'], headers: res.headers };
}

const chargeBody = (overrides: Record<string, unknown> = {}) => ({
  amount_cents: 4200,
  currency: 'USD',
  token: 'tok_approve',
  order_id: 'ord-1',
  ...overrides,
});
const charge = (key: string, body: unknown = chargeBody(), base?: string) =>
  call('POST', '/v1/charges', body, { 'idempotency-key': key }, base);
const refund = (key: string, body: unknown) =>
  call('POST', '/v1/refunds', body, { 'idempotency-key': key });

describe('charges', () => {
  it('tok_approve: 201 with a succeeded charge, readable by id', async () => {
    const res = await charge('ord-1');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.stringMatching(/^ch_[a-z0-9]{16}$/),
      object: 'charge',
      status: 'succeeded',
      amount_cents: 4200,
      currency: 'USD',
      order_id: 'ord-1',
      amount_refunded_cents: 0,
    });
    const read = await call('GET', `/v1/charges/${String(res.body.id)}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(res.body);
    expect((await call('GET', '/v1/charges/ch_nope')).status).toBe(404);
  });

  it.each([
    ['tok_decline', 'card_declined'],
    ['tok_insufficient_funds', 'insufficient_funds'],
    ['tok_unknown', 'invalid_token'],
  ])('%s: 402 %s, nothing charged', async (token, code) => {
    const res = await charge('k1', chargeBody({ token }));
    expect(res.status).toBe(402);
    expect(res.body.error).toMatchObject({ code, message: expect.any(String) });
    expect(provider.control.ledger().totals.charges).toBe(0);
  });

  it('400 naming the field for a bad body; nothing is stored, so the key can be reused', async () => {
    const missing = await charge('k1', chargeBody({ amount_cents: undefined }));
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'parameter_invalid', param: 'amount_cents' });

    const unknown = await charge('k1', chargeBody({ tip: 5 }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.error?.param).toBe('tip');

    const badCurrency = await charge('k1', chargeBody({ currency: 'usd' }));
    expect(badCurrency.body.error?.message).toMatch(/currency must be an ISO 4217 code/);

    const notJson = await charge('k1', '{"amount_cents":');
    expect(notJson.body.error?.code).toBe('invalid_json');

    expect((await charge('k1')).status).toBe(201);
  });

  it('400 without an Idempotency-Key', async () => {
    const res = await call('POST', '/v1/charges', chargeBody());
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'idempotency_key_required',
      param: 'Idempotency-Key',
    });
  });
});

describe('idempotency', () => {
  it('the same key and body replays the first answer and never charges twice', async () => {
    const first = await charge('ord-1');
    const again = await charge('ord-1', {
      order_id: 'ord-1',
      token: 'tok_approve',
      currency: 'USD',
      amount_cents: 4200,
    }); // same body, other key order
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(provider.control.ledger().orders['ord-1']).toEqual({
      charged_cents: 4200,
      refunded_cents: 0,
      charges: 1,
      refunds: 0,
    });
    expect(provider.control.ledger().requests).toMatchObject({ total: 2, replayed: 1 });
  });

  it('a decline is replayed too', async () => {
    await charge('ord-2', chargeBody({ token: 'tok_decline', order_id: 'ord-2' }));
    const again = await charge('ord-2', chargeBody({ token: 'tok_decline', order_id: 'ord-2' }));
    expect(again.status).toBe(402);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('the same key with another body is a 409', async () => {
    await charge('ord-1');
    const res = await charge('ord-1', chargeBody({ amount_cents: 1 }));
    expect(res.status).toBe(409);
    expect(res.body.error?.code).toBe('idempotency_key_reused');
    expect(provider.control.ledger().totals.charges).toBe(1);
  });
});

describe('refunds', () => {
  it('refunds a charge once, replays by key, and the ledger nets to zero', async () => {
    const ch = await charge('ord-1');
    const body = { charge_id: ch.body.id, amount_cents: 4200 };
    const re = await refund('refund-ord-1', body);
    expect(re.status).toBe(201);
    expect(re.body).toMatchObject({
      id: expect.stringMatching(/^re_/),
      status: 'succeeded',
      charge_id: ch.body.id,
      amount_cents: 4200,
    });
    expect((await refund('refund-ord-1', body)).body).toEqual(re.body);
    expect(provider.control.ledger().orders['ord-1']).toEqual({
      charged_cents: 4200,
      refunded_cents: 4200,
      charges: 1,
      refunds: 1,
    });
    const read = await call('GET', `/v1/charges/${String(ch.body.id)}`);
    expect(read.body).toMatchObject({ amount_refunded_cents: 4200, refunded: true });
  });

  it('refuses to refund more than was charged, or an unknown charge', async () => {
    const ch = await charge('ord-1');
    const tooMuch = await refund('r1', { charge_id: ch.body.id, amount_cents: 5000 });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error?.code).toBe('amount_too_large');
    await refund('r2', { charge_id: ch.body.id });
    const twice = await refund('r3', { charge_id: ch.body.id, amount_cents: 1 });
    expect(twice.body.error?.code).toBe('charge_already_refunded');
    const unknown = await refund('r4', { charge_id: 'ch_nope', amount_cents: 1 });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: 'resource_missing', param: 'charge_id' });
  });
});

describe('faults', () => {
  it('down: 503 at once and nothing happens', async () => {
    provider.control.set({ mode: 'down' });
    const res = await charge('ord-1');
    expect(res.status).toBe(503);
    expect(res.body.error?.code).toBe('service_unavailable');
    provider.control.set({ mode: 'up' });
    expect((await charge('ord-1')).headers.get('idempotent-replayed')).toBeNull();
    expect(provider.control.ledger().requests).toMatchObject({ total: 2, failed: 1 });
  });

  it('failNext: the next n calls answer 500 before doing anything', async () => {
    provider.control.set({ failNext: 2 });
    expect((await charge('ord-1')).status).toBe(500);
    expect((await charge('ord-1')).status).toBe(500);
    expect((await charge('ord-1')).status).toBe(201);
    expect(provider.control.get().failNext).toBe(0);
    expect(provider.control.ledger().totals.charges).toBe(1);
  });

  it('failureRate 1 fails every call; declineRate 1 declines tok_approve', async () => {
    provider.control.set({ failureRate: 1 });
    expect((await charge('a')).status).toBe(500);
    provider.control.set({ failureRate: 0, declineRate: 1 });
    const declined = await charge('b');
    expect(declined.status).toBe(402);
    expect(declined.body.error?.code).toBe('card_declined');
  });

  it('slow: the charge is made before the delay, so a client that gives up must retry with its key', async () => {
    provider.control.set({ latencyMs: 400 });
    await expect(
      fetch(`${provider.url}/v1/charges`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'ord-1' },
        body: JSON.stringify(chargeBody()),
        signal: AbortSignal.timeout(50),
      }),
    ).rejects.toThrow();
    expect(provider.control.ledger().totals.charges).toBe(1);
    provider.control.set({ latencyMs: 0 });
    const retried = await charge('ord-1');
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(provider.control.ledger().totals.charges).toBe(1);
  });
});

describe('control endpoints', () => {
  it('GET and POST /_control read and change the settings; a bad value is a 400', async () => {
    expect((await call('GET', '/_control')).body).toEqual({
      mode: 'up',
      latencyMs: 0,
      failureRate: 0,
      declineRate: 0,
      failNext: 0,
    });
    const set = await call('POST', '/_control', { latencyMs: 5, failureRate: 0.25 });
    expect(set.body).toMatchObject({ latencyMs: 5, failureRate: 0.25, mode: 'up' });
    expect(provider.control.get()).toMatchObject({ latencyMs: 5, failureRate: 0.25 });
    const bad = await call('POST', '/_control', { failureRate: 2 });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.param).toBe('failureRate');
    const unknown = await call('POST', '/_control', { speed: 'slow' });
    expect(unknown.body.error?.param).toBe('speed');
  });

  it('faults do not apply to /_ endpoints', async () => {
    provider.control.set({ mode: 'down' });
    expect((await call('GET', '/_ledger')).status).toBe(200);
    expect((await call('GET', '/_control')).status).toBe(200);
  });

  it('GET /_ledger sums per order; POST /_reset forgets everything', async () => {
    await charge('o1', chargeBody({ order_id: 'o1', amount_cents: 100 }));
    await charge('o2', chargeBody({ order_id: 'o2', amount_cents: 250 }));
    const ledger = await call('GET', '/_ledger');
    expect(ledger.body).toMatchObject({
      orders: {
        o1: { charged_cents: 100, refunded_cents: 0, charges: 1, refunds: 0 },
        o2: { charged_cents: 250, refunded_cents: 0, charges: 1, refunds: 0 },
      },
      totals: { charged_cents: 350, refunded_cents: 0, charges: 2, refunds: 0 },
      requests: { total: 2, replayed: 0, failed: 0 },
    });
    expect((await call('POST', '/_reset')).status).toBe(200);
    expect((await call('GET', '/_ledger')).body).toMatchObject({
      orders: {},
      totals: { charges: 0 },
    });
  });

  it('unknown routes are 404 and wrong methods 405', async () => {
    expect((await call('GET', '/v2/things')).status).toBe(404);
    expect((await call('GET', '/v1/charges')).status).toBe(405);
    expect((await call('DELETE', '/_ledger')).status).toBe(405);
  });
});

describe('lifecycle and seeds', () => {
  it('the same seed makes the same ids and draws; another seed others', async () => {
    const ids = async (seed: number) => {
      const p = await startPaymentProvider({ seed, control: { declineRate: 0.5 } });
      try {
        const out: string[] = [];
        for (let i = 0; i < 5; i++) {
          const res = await charge(`k${i}`, chargeBody({ order_id: `o${i}` }), p.url);
          out.push(res.status === 201 ? String(res.body.id) : String(res.body.error?.code));
        }
        return out;
      } finally {
        await p.stop();
      }
    };
    const a = await ids(7);
    expect(await ids(7)).toEqual(a);
    expect(await ids(8)).not.toEqual(a);
  });

  it('stop() returns while a slow answer is still pending', async () => {
    const p = await startPaymentProvider({ control: { latencyMs: 60_000 } });
    const pending = charge('k', chargeBody(), p.url).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    await p.stop();
    expect(await pending).toBeInstanceOf(Error);
  });

  it('rejects invalid start options with a readable message', async () => {
    await expect(startPaymentProvider({ control: { failureRate: 3 } })).rejects.toThrow(
      /Invalid payment provider control: failureRate/,
    );
  });
});
