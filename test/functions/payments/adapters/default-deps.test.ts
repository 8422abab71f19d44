import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultDeps } from '../../../../functions/payments/adapters/default-deps.js';

afterEach(() => vi.unstubAllEnvs());

describe('payments defaultDeps', () => {
  it('serves the read-only route without PAYMENT_PROVIDER_URL, and names it on the first charge', async () => {
    vi.stubEnv('TABLE_NAME', 'payments');
    vi.stubEnv('PAYMENT_PROVIDER_URL', '');
    const deps = defaultDeps();
    expect(defaultDeps()).toBe(deps);
    await expect(
      deps.charge({ orderId: 'ord_1', amountCents: 100, currency: 'USD', token: 'tok_approve' }),
    ).rejects.toThrow(/PAYMENT_PROVIDER_URL/);
  });
});
