import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEvent } from '#events/contract.js';
import { OrderCancelled, OrderConfirmed } from '#events';
import { recordSagaMetrics } from '../../../functions/orders/handlers/saga-metrics.js';
import { metrics } from '#plumbing/powertools.js';
import { SEALED_ADDRESS } from '../../support/pii.js';

const cause = { correlationId: 'ord_1', causationId: 'x' };
const placedAt = '2026-11-21T10:00:00.000Z';
const now = new Date('2026-11-21T10:00:02.500Z');

describe('saga metrics', () => {
  afterEach(() => vi.restoreAllMocks());

  it('counts a confirmation and its time to settle', () => {
    const add = vi.spyOn(metrics, 'addMetric');
    const confirmed = createEvent(
      OrderConfirmed,
      {
        orderId: 'ord_1',
        customerId: 'c',
        lines: [{ sku: 'A', quantity: 1, unitPriceCents: 100 }],
        amountCents: 100,
        currency: 'USD',
        shippingAddressCiphertext: SEALED_ADDRESS,
      },
      cause,
    );
    recordSagaMetrics([confirmed], placedAt, now);
    expect(add.mock.calls).toEqual([
      ['OrdersConfirmed', 'Count', 1],
      ['OrderSettleTime', 'Milliseconds', 2500],
    ]);
  });

  it('counts a cancellation by reason; settle time only when it settles a pending order', () => {
    const add = vi.spyOn(metrics, 'addMetric');
    const single = { addDimension: vi.fn(), addMetric: vi.fn() };
    vi.spyOn(metrics, 'singleMetric').mockReturnValue(single as never);
    const cancelled = (previousStatus: 'PENDING' | 'CONFIRMED') =>
      createEvent(
        OrderCancelled,
        { orderId: 'ord_1', customerId: 'c', reason: 'OUT_OF_STOCK', previousStatus },
        cause,
      );
    recordSagaMetrics([cancelled('PENDING')], placedAt, now);
    recordSagaMetrics([cancelled('CONFIRMED')], placedAt, now);
    expect(single.addDimension).toHaveBeenCalledWith('reason', 'OUT_OF_STOCK');
    expect(single.addMetric).toHaveBeenCalledTimes(2);
    expect(add.mock.calls).toEqual([['OrderSettleTime', 'Milliseconds', 2500]]);
  });
});
