import { CircuitState } from 'cockatiel';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ProviderRequestError,
  ProviderUnavailableError,
  createProviderClient,
  providerClientFromEnv,
  type ProviderClientOptions,
} from '../../../../functions/payments/adapters/provider.js';
import {
  startPaymentProvider,
  type PaymentProvider,
} from '../../../../harness/payment-provider/server.js';

/** The adapter against the real simulator over HTTP (127.0.0.1, random port). */
let sim: PaymentProvider;

beforeAll(async () => {
  sim = await startPaymentProvider({ port: 0, seed: 3 });
});
afterAll(() => sim.stop());
afterEach(() => sim.control.reset());

const client = (options: Partial<ProviderClientOptions> = {}) =>
  createProviderClient({
    baseUrl: sim.url,
    timeoutMs: 1000,
    retries: 2,
    initialDelayMs: 5,
    maxDelayMs: 20,
    ...options,
  });

const req = (orderId = 'ord-1', token = 'tok_approve') => ({
  orderId,
  amountCents: 4200,
  currency: 'USD' as const,
  token,
});

describe('charge', () => {
  it('tok_approve is authorized with the provider charge id', async () => {
    const result = await client().charge(req());
    expect(result).toEqual({ outcome: 'authorized', paymentId: expect.stringMatching(/^ch_/) });
    expect(sim.control.ledger().orders['ord-1']).toMatchObject({ charged_cents: 4200, charges: 1 });
  });

  it('tok_decline is a declined result, not an error', async () => {
    expect(await client().charge(req('ord-1', 'tok_decline'))).toEqual({
      outcome: 'declined',
      code: 'card_declined',
      message: 'Your card was declined.',
    });
  });

  it('the order id is the idempotency key: charging twice replays the same charge', async () => {
    const c = client();
    const first = await c.charge(req());
    const second = await c.charge(req());
    expect(second).toEqual(first);
    expect(sim.control.ledger().orders['ord-1']?.charges).toBe(1);
    expect(sim.control.ledger().requests.replayed).toBe(1);
  });

  it('a 4xx other than a decline is not retried and is not transient', async () => {
    const c = client();
    await c.charge(req());
    // Same order id (key), other amount: the provider says 409.
    const error = await c.charge({ ...req(), amountCents: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderRequestError);
    expect(error).toMatchObject({ status: 409, code: 'idempotency_key_reused' });
    expect(sim.control.ledger().requests.total).toBe(2);
  });
});

describe('refund', () => {
  it('refunds with refund-<orderId> as key, once', async () => {
    const c = client();
    const charged = await c.charge(req());
    if (charged.outcome !== 'authorized') throw new Error('expected an authorization');
    const refund = { orderId: 'ord-1', paymentId: charged.paymentId, amountCents: 4200 };
    const first = await c.refund(refund);
    expect(first.refundId).toMatch(/^re_/);
    expect(await c.refund(refund)).toEqual(first);
    expect(sim.control.ledger().orders['ord-1']).toEqual({
      charged_cents: 4200,
      refunded_cents: 4200,
      charges: 1,
      refunds: 1,
    });
  });

  it('an unknown charge is a ProviderRequestError naming it', async () => {
    await expect(
      client().refund({ orderId: 'ord-9', paymentId: 'ch_missing', amountCents: 1 }),
    ).rejects.toThrow(/rejected the refund of order ord-9 \(charge ch_missing\) with 404/);
  });
});

describe('resilience', () => {
  it('slow: an attempt times out, the retry (same key) gets the charge made meanwhile', async () => {
    const c = client({ timeoutMs: 100 });
    sim.control.set({ latencyMs: 1000 });
    // Once the first attempt has timed out, the provider becomes fast again.
    const listener = c.retry.onRetry(() => sim.control.set({ latencyMs: 0 }));
    try {
      const result = await c.charge(req());
      expect(result.outcome).toBe('authorized');
    } finally {
      listener.dispose();
    }
    const ledger = sim.control.ledger();
    expect(ledger.orders['ord-1']?.charges).toBe(1);
    expect(ledger.requests).toMatchObject({ total: 2, replayed: 1 });
  });

  it('slow on every attempt: throws ProviderUnavailableError after the retries, charged once', async () => {
    sim.control.set({ latencyMs: 1000 });
    const error = await client({ timeoutMs: 50, retries: 1 })
      .charge(req())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(String(error)).toMatch(/failed after 2 attempt\(s\): timed out after 50 ms/);
    expect(sim.control.ledger().orders['ord-1']?.charges).toBe(1);
  });

  it('flaky: 5xx answers are retried to success', async () => {
    sim.control.set({ failNext: 2 });
    const result = await client({ retries: 2 }).charge(req());
    expect(result.outcome).toBe('authorized');
    expect(sim.control.ledger().requests).toMatchObject({ total: 3, failed: 2 });
    expect(sim.control.ledger().totals.charges).toBe(1);
  });

  it('flaky beyond the retries: throws ProviderUnavailableError naming the status', async () => {
    sim.control.set({ failNext: 5 });
    await expect(client({ retries: 1 }).charge(req())).rejects.toThrow(
      /failed after 2 attempt\(s\).*answered 500/,
    );
  });

  it('network errors are transient too', async () => {
    const c = createProviderClient({
      baseUrl: 'http://127.0.0.1:1', // nothing listens on port 1
      retries: 1,
      initialDelayMs: 1,
    });
    await expect(c.charge(req())).rejects.toBeInstanceOf(ProviderUnavailableError);
  });

  it('down: the circuit opens and then fails fast without calling the provider, and closes after recovery', async () => {
    const c = client({ retries: 1, breakerThreshold: 3, halfOpenAfterMs: 200 });
    sim.control.set({ mode: 'down' });

    await expect(c.charge(req('o1'))).rejects.toThrow(/answered 503/); // 2 failed attempts
    await expect(c.charge(req('o2'))).rejects.toThrow(/circuit is open/); // 3rd opens it
    expect(c.breaker.state).toBe(CircuitState.Open);
    const calls = sim.control.ledger().requests.total;
    expect(calls).toBe(3);

    const error = await c.charge(req('o3')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(String(error)).toMatch(/circuit is open/);
    expect(sim.control.ledger().requests.total).toBe(calls); // failed fast

    sim.control.set({ mode: 'up' });
    await new Promise((r) => setTimeout(r, 250)); // past halfOpenAfter: one trial call
    expect((await c.charge(req('o4'))).outcome).toBe('authorized');
    expect(c.breaker.state).toBe(CircuitState.Closed);
  });
});

describe('providerClientFromEnv', () => {
  it('needs PAYMENT_PROVIDER_URL', () => {
    expect(() => providerClientFromEnv({})).toThrow(/PAYMENT_PROVIDER_URL is ""/);
    expect(() => providerClientFromEnv({ PAYMENT_PROVIDER_URL: 'provider:4010' })).toThrow(
      /http\(s\) base URL/,
    );
  });

  it('validates the numeric settings, naming the variable', () => {
    expect(() =>
      providerClientFromEnv({
        PAYMENT_PROVIDER_URL: sim.url,
        PAYMENT_PROVIDER_TIMEOUT_MS: 'soon',
      }),
    ).toThrow(/PAYMENT_PROVIDER_TIMEOUT_MS is "soon"; set it to a whole number >= 1/);
  });

  it('builds a working client', async () => {
    const c = providerClientFromEnv({
      PAYMENT_PROVIDER_URL: `${sim.url}/`,
      PAYMENT_PROVIDER_TIMEOUT_MS: '1500',
    });
    expect((await c.charge(req())).outcome).toBe('authorized');
  });
});
