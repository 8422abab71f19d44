import { describe, expect, it } from 'vitest';
import { createEvent, type DomainEvent } from '#events/contract.js';
import { OrderCancelled, OrderPlaced } from '#events';
import { changesOf } from '../../../../functions/inventory/domain/changes.js';
import type { InventoryState, Reservation } from '../../../../functions/inventory/domain/state.js';
import type { Product } from '../../../../functions/inventory/domain/product.js';
import {
  makeOnEvent,
  type OnEventDeps,
} from '../../../../functions/inventory/handlers/on-event.js';
import type { InventoryDecision } from '../../../../functions/inventory/ports.js';
import { ConcurrentUpdateError } from '#plumbing/outbox.js';
import { CUSTOMER, ORDER, product } from '../fixtures.js';
import { busMessage, context, sqsEvent } from '../../../support/lambda-events.js';
import { SEALED_TOKEN, SEALED_ADDRESS } from '../../../support/pii.js';

/** An in-memory table behind the two ports, applying decisions the way the adapter commits them. */
function fakeStore(...catalog: Product[]) {
  const products = new Map(catalog.map((p) => [p.sku, p]));
  const reservations = new Map<string, Reservation>();
  const processed = new Set<string>();
  const saved: InventoryDecision[] = [];
  const outbox: DomainEvent[] = [];
  let conflictsToThrow = 0;
  let loads = 0;

  const deps: OnEventDeps = {
    load: async (orderId, skus): Promise<InventoryState> => {
      loads++;
      return {
        reservation: reservations.get(orderId),
        products: Object.fromEntries(skus.map((s) => [s, products.get(s)])),
      };
    },
    save: async (decision) => {
      if (conflictsToThrow > 0) {
        conflictsToThrow--;
        throw new ConcurrentUpdateError(['None', 'ConditionalCheckFailed']);
      }
      if (processed.has(decision.handledEventId)) return 'duplicate';
      processed.add(decision.handledEventId);
      saved.push(decision);
      outbox.push(...decision.events);
      for (const change of changesOf(decision.before, decision.facts)) {
        if (change.type === 'PutReservation') {
          reservations.set(change.reservation.orderId, change.reservation);
        } else {
          const p = products.get(change.sku)!;
          products.set(change.sku, {
            ...p,
            available: p.available + change.availableDelta,
            reserved: p.reserved + change.reservedDelta,
          });
        }
      }
      return 'committed';
    },
  };
  return {
    deps,
    products,
    reservations,
    saved,
    outbox,
    loads: () => loads,
    conflictOnNextSaves(n: number) {
      conflictsToThrow = n;
    },
  };
}

const orderPlaced = (lines: { sku: string; quantity: number }[]) =>
  createEvent(
    OrderPlaced,
    {
      orderId: ORDER,
      customerId: CUSTOMER,
      lines,
      paymentTokenCiphertext: SEALED_TOKEN,
      shippingAddressCiphertext: SEALED_ADDRESS,
      placedAt: '2026-01-01T00:00:00.000Z',
    },
    { correlationId: ORDER, causationId: 'req-1' },
  );

const orderCancelled = () =>
  createEvent(
    OrderCancelled,
    { orderId: ORDER, customerId: CUSTOMER, reason: 'CUSTOMER_REQUEST', previousStatus: 'PENDING' },
    { correlationId: ORDER, causationId: 'req-2' },
  );

const deliver = (store: ReturnType<typeof fakeStore>, ...events: DomainEvent[]) =>
  makeOnEvent(store.deps)(sqsEvent(...events.map(busMessage)), context);

describe('inventory on-event', () => {
  it('reserves on OrderPlaced and emits StockReserved caused by it, in the same commit', async () => {
    const store = fakeStore(product('A', 5, 250), product('B', 3, 100));
    const placed = orderPlaced([
      { sku: 'A', quantity: 2 },
      { sku: 'B', quantity: 1 },
    ]);
    const res = await deliver(store, placed);

    expect(res.batchItemFailures).toEqual([]);
    expect(store.saved).toHaveLength(1);
    expect(store.saved[0]!.handledEventId).toBe(placed.detail.metadata.eventId);
    expect(store.outbox).toHaveLength(1);
    expect(store.outbox[0]).toMatchObject({
      source: 'shop.inventory',
      detailType: 'StockReserved',
      detail: {
        metadata: {
          correlationId: ORDER,
          causationId: placed.detail.metadata.eventId,
          schemaVersion: 2,
        },
        data: {
          orderId: ORDER,
          customerId: CUSTOMER,
          lines: [
            { sku: 'A', quantity: 2, unitPriceCents: 250 },
            { sku: 'B', quantity: 1, unitPriceCents: 100 },
          ],
          amountCents: 600,
          currency: 'USD',
          paymentTokenCiphertext: SEALED_TOKEN,
        },
      },
    });
    expect(store.products.get('A')).toMatchObject({ available: 3, reserved: 2 });
  });

  it('emits StockReservationFailed naming the short lines, and holds nothing', async () => {
    const store = fakeStore(product('A', 1));
    await deliver(store, orderPlaced([{ sku: 'A', quantity: 2 }]));
    expect(store.outbox.map((e) => e.detailType)).toEqual(['StockReservationFailed']);
    expect(store.outbox[0]!.detail.data).toMatchObject({
      shortages: [{ sku: 'A', requested: 2, available: 1, reason: 'INSUFFICIENT_STOCK' }],
    });
    expect(store.products.get('A')).toMatchObject({ available: 1, reserved: 0 });
  });

  it('releases on OrderCancelled and emits StockReleased', async () => {
    const store = fakeStore(product('A', 5));
    await deliver(store, orderPlaced([{ sku: 'A', quantity: 2 }]), orderCancelled());
    expect(store.outbox.map((e) => e.detailType)).toEqual(['StockReserved', 'StockReleased']);
    expect(store.outbox[1]!.detail.data).toEqual({
      orderId: ORDER,
      lines: [{ sku: 'A', quantity: 2 }],
    });
    expect(store.products.get('A')).toMatchObject({ available: 5, reserved: 0 });
    expect(store.reservations.get(ORDER)?.status).toBe('RELEASED');
  });

  it('records a tombstone, publishing nothing, when the cancellation comes first; the late OrderPlaced then does nothing', async () => {
    const store = fakeStore(product('A', 5));
    await deliver(store, orderCancelled());
    expect(store.reservations.get(ORDER)?.status).toBe('CANCELLED_BEFORE_RESERVE');
    expect(store.outbox).toEqual([]);

    await deliver(store, orderPlaced([{ sku: 'A', quantity: 2 }]));
    expect(store.saved).toHaveLength(1);
    expect(store.outbox).toEqual([]);
    expect(store.products.get('A')).toMatchObject({ available: 5, reserved: 0 });
  });

  it('changes nothing when the same OrderPlaced (or a copy with a new eventId) comes again', async () => {
    const store = fakeStore(product('A', 5));
    const placed = orderPlaced([{ sku: 'A', quantity: 2 }]);
    await deliver(store, placed, placed);
    await deliver(store, orderPlaced([{ sku: 'A', quantity: 2 }]));
    expect(store.saved).toHaveLength(1);
    expect(store.products.get('A')).toMatchObject({ available: 3, reserved: 2 });
  });

  it('reloads and decides again after losing a race', async () => {
    const store = fakeStore(product('A', 5));
    store.conflictOnNextSaves(2);
    const res = await deliver(store, orderPlaced([{ sku: 'A', quantity: 2 }]));
    expect(res.batchItemFailures).toEqual([]);
    expect(store.loads()).toBe(3);
    expect(store.saved).toHaveLength(1);
  });

  it('fails only the message that breaks its contract, and writes nothing for it', async () => {
    const store = fakeStore(product('A', 5));
    const bad = busMessage(orderPlaced([{ sku: 'A', quantity: 1 }]));
    (bad.detail.data as { lines: unknown }).lines = [{ sku: 'A', quantity: 0 }];
    const good = busMessage(orderCancelled());
    const res = await makeOnEvent(store.deps)(sqsEvent(bad, good), context);
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: 'msg-0' }]);
    expect(store.saved).toHaveLength(1);
    expect(store.saved[0]!.facts[0]!.type).toBe('CancellationRecorded');
  });
});
