import { describe, expect, it } from 'vitest';
import { allContracts } from '#events/catalog.js';
import {
  ContractViolationError,
  causedBy,
  createEvent,
  patternFor,
  type DomainEvent,
} from '#events/contract.js';
import { OrderCancelled, OrderPlaced, StockReserved } from '#events';
import { SEALED_ADDRESS, SEALED_TOKEN } from '../support/pii.js';

const placedData = {
  orderId: 'ord_1',
  customerId: 'cus_1',
  lines: [{ sku: 'SKU-1', quantity: 2 }],
  paymentTokenCiphertext: SEALED_TOKEN,
  shippingAddressCiphertext: SEALED_ADDRESS,
  placedAt: '2026-11-21T10:00:00.000Z',
};

describe('event contracts', () => {
  it('declares 18 events, each with a unique detail-type and a shop.<service> source', () => {
    expect(allContracts).toHaveLength(18);
    expect(new Set(allContracts.map((c) => c.detailType)).size).toBe(18);
    for (const c of allContracts) expect(c.source).toMatch(/^shop\.[a-z]+$/);
  });

  it('builds an event with the envelope metadata', () => {
    const event = createEvent(
      OrderPlaced,
      placedData,
      { correlationId: 'ord_1', causationId: 'req-1' },
      () => new Date('2026-11-21T10:00:00Z'),
      () => '7b7f6f0e-8a1e-4f0a-9a53-6a1f2a0c9e01',
    );
    expect(event).toEqual({
      source: 'shop.orders',
      detailType: 'OrderPlaced',
      detail: {
        metadata: {
          eventId: '7b7f6f0e-8a1e-4f0a-9a53-6a1f2a0c9e01',
          occurredAt: '2026-11-21T10:00:00.000Z',
          schemaVersion: 2,
          correlationId: 'ord_1',
          causationId: 'req-1',
        },
        data: placedData,
      },
    });
  });

  it('refuses to build an event that breaks its contract, naming the field', () => {
    const bad = { ...placedData, lines: [{ sku: 'SKU-1', quantity: 0 }] };
    expect(() => createEvent(OrderPlaced, bad, { correlationId: 'o', causationId: 'c' })).toThrow(
      ContractViolationError,
    );
    expect(() => createEvent(OrderPlaced, bad, { correlationId: 'o', causationId: 'c' })).toThrow(
      /detail\.data\.lines\.0\.quantity/,
    );
  });

  it('v2 refuses a clear token or address where the sealed field belongs', () => {
    const cause = { correlationId: 'o', causationId: 'c' };
    const clearToken = { ...placedData, paymentTokenCiphertext: 'tok_approve' };
    expect(() => createEvent(OrderPlaced, clearToken, cause)).toThrow(
      /detail\.data\.paymentTokenCiphertext: expected an encrypted field/,
    );
    const clearAddress = { ...placedData, shippingAddressCiphertext: 'pii:v1:12 Main St' };
    expect(() => createEvent(OrderPlaced, clearAddress, cause)).toThrow(
      /shippingAddressCiphertext/,
    );
  });

  it('carries the journey forward: correlation kept, causation = the causing event', () => {
    const placed = createEvent(OrderPlaced, placedData, {
      correlationId: 'ord_1',
      causationId: 'req-1',
    });
    expect(causedBy(placed)).toEqual({
      correlationId: 'ord_1',
      causationId: placed.detail.metadata.eventId,
    });
  });

  it('derives the rule pattern from the consumed contracts', () => {
    expect(patternFor([OrderPlaced, OrderCancelled, StockReserved])).toEqual({
      source: ['shop.inventory', 'shop.orders'],
      'detail-type': ['OrderCancelled', 'OrderPlaced', 'StockReserved'],
    });
    expect(() => patternFor([])).toThrow(/at least one/);
  });

  it('validates a delivered event against its schema version', () => {
    const placed: DomainEvent = createEvent(OrderPlaced, placedData, {
      correlationId: 'ord_1',
      causationId: 'req-1',
    });
    const delivered = {
      source: 'shop.orders',
      'detail-type': 'OrderPlaced',
      detail: placed.detail,
    };
    expect(OrderPlaced.eventSchema.safeParse(delivered).success).toBe(true);
    const v1 = structuredClone(delivered);
    v1.detail.metadata.schemaVersion = 1;
    expect(OrderPlaced.eventSchema.safeParse(v1).success).toBe(false);
  });
});
