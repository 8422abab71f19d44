import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changesOf } from '../../../../functions/inventory/domain/changes.js';
import { decide, sumLines } from '../../../../functions/inventory/domain/decide.js';
import { inventoryDecider } from '../../../../functions/inventory/domain/decider.js';
import type { InventoryCommand } from '../../../../functions/inventory/domain/messages.js';
import {
  MAX_LINES,
  type InventoryState,
  type Reservation,
} from '../../../../functions/inventory/domain/state.js';
import type { Product } from '../../../../functions/inventory/domain/product.js';
import { spec } from '../../../support/given-when-then.js';
import {
  CUSTOMER,
  ORDER,
  cancelled,
  placed,
  product,
  released,
  reserved,
  stateWith,
  tombstone,
} from '../fixtures.js';
import { SEALED_TOKEN } from '../../../support/pii.js';

/** A decider whose products are already in the catalog. */
const inventoryWith = (...products: Product[]) =>
  spec({ ...inventoryDecider, initialState: stateWith(...products) });

describe('OrderPlaced', () => {
  it('reserves every line, priced from the catalog, when all stock is there', () => {
    inventoryWith(product('A', 5, 250), product('B', 2, 1000))
      .given([])
      .when(
        placed([
          { sku: 'A', quantity: 2 },
          { sku: 'B', quantity: 2 },
        ]),
      )
      .then([
        reserved([
          { sku: 'A', quantity: 2, unitPriceCents: 250 },
          { sku: 'B', quantity: 2, unitPriceCents: 1000 },
        ]),
      ]);
  });

  it('moves the quantities from available to reserved', () => {
    inventoryWith(product('A', 5), product('B', 2))
      .given([])
      .when(
        placed([
          { sku: 'A', quantity: 2 },
          { sku: 'B', quantity: 2 },
        ]),
      )
      .thenState((state) => {
        expect(state.products['A']).toMatchObject({ available: 3, reserved: 2 });
        expect(state.products['B']).toMatchObject({ available: 0, reserved: 2 });
        expect(state.reservation).toMatchObject({ status: 'RESERVED', version: 1 });
      });
  });

  it('passes the payment token and customer through and states the amount in USD', () => {
    const [fact] = decide(placed([{ sku: 'A', quantity: 3 }]), stateWith(product('A', 9, 333)));
    expect(fact).toEqual({
      type: 'StockReserved',
      data: {
        orderId: ORDER,
        customerId: CUSTOMER,
        lines: [{ sku: 'A', quantity: 3, unitPriceCents: 333 }],
        amountCents: 999,
        currency: 'USD',
        paymentTokenCiphertext: SEALED_TOKEN,
      },
    });
  });

  it('fails with only the short lines, and reserves nothing, on a partial shortage', () => {
    const when = inventoryWith(product('A', 5), product('B', 1))
      .given([])
      .when(
        placed([
          { sku: 'A', quantity: 2 },
          { sku: 'B', quantity: 3 },
        ]),
      );
    when.then([
      {
        type: 'StockReservationFailed',
        data: {
          orderId: ORDER,
          customerId: CUSTOMER,
          shortages: [{ sku: 'B', requested: 3, available: 1, reason: 'INSUFFICIENT_STOCK' }],
        },
      },
    ]);
    when.thenState((state) => {
      expect(state.products['A']).toMatchObject({ available: 5, reserved: 0 });
      expect(state.products['B']).toMatchObject({ available: 1, reserved: 0 });
      expect(state.reservation?.status).toBe('FAILED');
    });
  });

  it('names an unknown SKU with nothing available, next to insufficient ones', () => {
    inventoryWith(product('A', 1))
      .given([])
      .when(
        placed([
          { sku: 'A', quantity: 2 },
          { sku: 'NOPE', quantity: 1 },
        ]),
      )
      .then([
        {
          type: 'StockReservationFailed',
          data: {
            orderId: ORDER,
            customerId: CUSTOMER,
            shortages: [
              { sku: 'A', requested: 2, available: 1, reason: 'INSUFFICIENT_STOCK' },
              { sku: 'NOPE', requested: 1, available: 0, reason: 'UNKNOWN_SKU' },
            ],
          },
        },
      ]);
  });

  it('sums duplicate SKUs before checking stock', () => {
    inventoryWith(product('A', 4))
      .given([])
      .when(
        placed([
          { sku: 'A', quantity: 2 },
          { sku: 'A', quantity: 3 },
        ]),
      )
      .then([
        {
          type: 'StockReservationFailed',
          data: {
            orderId: ORDER,
            customerId: CUSTOMER,
            shortages: [{ sku: 'A', requested: 5, available: 4, reason: 'INSUFFICIENT_STOCK' }],
          },
        },
      ]);
  });

  it('reserves duplicate SKUs as one line per SKU', () => {
    inventoryWith(product('A', 5, 100), product('B', 1, 7))
      .given([])
      .when(
        placed([
          { sku: 'A', quantity: 2 },
          { sku: 'B', quantity: 1 },
          { sku: 'A', quantity: 3 },
        ]),
      )
      .then([
        reserved([
          { sku: 'A', quantity: 5, unitPriceCents: 100 },
          { sku: 'B', quantity: 1, unitPriceCents: 7 },
        ]),
      ]);
  });

  it('never reserves twice when OrderPlaced is redelivered', () => {
    inventoryWith(product('A', 5))
      .given([reserved([{ sku: 'A', quantity: 2, unitPriceCents: 250 }])])
      .when(placed([{ sku: 'A', quantity: 2 }]))
      .thenNothing();
  });

  it('does not retry a failed reservation when OrderPlaced is redelivered after a restock', () => {
    const failed = decide(placed([{ sku: 'A', quantity: 2 }]), stateWith(product('A', 1)));
    inventoryWith(product('A', 100))
      .given(failed)
      .when(placed([{ sku: 'A', quantity: 2 }]))
      .thenNothing();
  });

  it('reserves nothing and emits nothing when the cancellation overtook it (tombstone)', () => {
    inventoryWith(product('A', 5))
      .given([tombstone()])
      .when(placed([{ sku: 'A', quantity: 2 }]))
      .thenNothing();
  });

  it(`accepts ${MAX_LINES} distinct SKUs and refuses more, which could not fit one transaction`, () => {
    const skus = Array.from({ length: MAX_LINES + 1 }, (_, i) => `S${i}`);
    const state = stateWith(...skus.map((sku) => product(sku, 1)));
    const lines = skus.map((sku) => ({ sku, quantity: 1 }));
    expect(decide(placed(lines.slice(0, MAX_LINES)), state)[0]?.type).toBe('StockReserved');
    inventoryWith()
      .given([])
      .when(placed(lines))
      .thenThrows(/51 distinct SKUs; at most 50/);
  });
});

describe('OrderCancelled', () => {
  const held = reserved([
    { sku: 'A', quantity: 2, unitPriceCents: 250 },
    { sku: 'B', quantity: 1, unitPriceCents: 1000 },
  ]);

  it('releases a reservation', () => {
    inventoryWith(product('A', 5), product('B', 1))
      .given([held])
      .when(cancelled())
      .then([
        released([
          { sku: 'A', quantity: 2 },
          { sku: 'B', quantity: 1 },
        ]),
      ]);
  });

  it('gives the released quantities back to available', () => {
    inventoryWith(product('A', 5), product('B', 1))
      .given([held])
      .when(cancelled())
      .thenState((state) => {
        expect(state.products['A']).toMatchObject({ available: 5, reserved: 0 });
        expect(state.products['B']).toMatchObject({ available: 1, reserved: 0 });
        expect(state.reservation).toMatchObject({ status: 'RELEASED', version: 2 });
      });
  });

  it('releases only once, however often the cancellation comes', () => {
    inventoryWith(product('A', 5), product('B', 1))
      .given([
        held,
        released([
          { sku: 'A', quantity: 2 },
          { sku: 'B', quantity: 1 },
        ]),
      ])
      .when(cancelled())
      .thenNothing();
  });

  it('records a tombstone when it overtakes OrderPlaced', () => {
    inventoryWith(product('A', 5)).given([]).when(cancelled()).then([tombstone()]);
  });

  it('does nothing more when the tombstone is already there', () => {
    inventoryWith().given([tombstone()]).when(cancelled()).thenNothing();
  });

  it('has nothing to release after a failed reservation', () => {
    const failed = decide(placed([{ sku: 'A', quantity: 2 }]), stateWith(product('A', 1)));
    inventoryWith(product('A', 1)).given(failed).when(cancelled()).thenNothing();
  });
});

describe('sumLines', () => {
  it('keeps first-seen order', () => {
    expect(
      sumLines([
        { sku: 'B', quantity: 1 },
        { sku: 'A', quantity: 1 },
        { sku: 'B', quantity: 2 },
      ]),
    ).toEqual([
      { sku: 'B', quantity: 3 },
      { sku: 'A', quantity: 1 },
    ]);
  });
});

describe('changesOf', () => {
  it('creates the reservation and takes stock under an availability condition', () => {
    const before = stateWith(product('A', 5), product('B', 2));
    const facts = decide(
      placed([
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 2 },
      ]),
      before,
    );
    expect(changesOf(before, facts)).toEqual([
      {
        type: 'PutReservation',
        reservation: expect.objectContaining({ status: 'RESERVED', version: 1 }),
        expectedVersion: undefined,
      },
      { type: 'AdjustStock', sku: 'A', availableDelta: -2, reservedDelta: 2, requireAvailable: 2 },
      { type: 'AdjustStock', sku: 'B', availableDelta: -2, reservedDelta: 2, requireAvailable: 2 },
    ]);
  });

  it('releases against the version it read, and gives stock back unconditionally', () => {
    const before = [reserved([{ sku: 'A', quantity: 2, unitPriceCents: 1 }])].reduce(
      inventoryDecider.evolve,
      stateWith(),
    );
    expect(changesOf(before, decide(cancelled(), before))).toEqual([
      {
        type: 'PutReservation',
        reservation: expect.objectContaining({ status: 'RELEASED', version: 2 }),
        expectedVersion: 1,
      },
      {
        type: 'AdjustStock',
        sku: 'A',
        availableDelta: 2,
        reservedDelta: -2,
        requireAvailable: undefined,
      },
    ]);
  });

  it('writes only the reservation record for a failure or a tombstone', () => {
    const short = stateWith(product('A', 0));
    expect(changesOf(short, decide(placed([{ sku: 'A', quantity: 1 }]), short))).toEqual([
      {
        type: 'PutReservation',
        reservation: expect.objectContaining({ status: 'FAILED' }),
        expectedVersion: undefined,
      },
    ]);
    expect(changesOf(stateWith(), [tombstone()])).toEqual([
      {
        type: 'PutReservation',
        reservation: {
          status: 'CANCELLED_BEFORE_RESERVE',
          orderId: ORDER,
          customerId: CUSTOMER,
          version: 1,
        },
        expectedVersion: undefined,
      },
    ]);
  });

  it('changes nothing when nothing was decided', () => {
    expect(changesOf(stateWith(), [])).toEqual([]);
  });
});

/*
 * The spec's stock invariant under at-least-once, any-order delivery: many
 * orders over a few SKUs, each event delivered one or more times, shuffled.
 * Storage is simulated the way the adapter commits: through changesOf, with a
 * reservation's availability condition enforced.
 */
describe('stock is conserved under any delivery order', () => {
  const SKUS = ['A', 'B', 'C'];
  const STOCK = 6;

  const orderArb = fc.record({
    lines: fc.array(
      fc.record({ sku: fc.constantFrom(...SKUS), quantity: fc.integer({ min: 1, max: 4 }) }),
      { minLength: 1, maxLength: 4 },
    ),
    cancelled: fc.boolean(),
  });

  it('holds for every SKU: restocked = available + held by orders that are not cancelled', () => {
    fc.assert(
      fc.property(
        fc.array(orderArb, { minLength: 1, maxLength: 6 }).chain((orders) => {
          const deliveries: InventoryCommand[] = orders.flatMap((o, i) => {
            const id = `ord_${i}`;
            const place = placed(o.lines, id);
            return o.cancelled ? [place, cancelled(id)] : [place];
          });
          return fc
            .shuffledSubarray(
              deliveries.flatMap((d) => [d, d]),
              { minLength: deliveries.length * 2 },
            )
            .map((shuffled) => ({ orders, shuffled }));
        }),
        ({ orders, shuffled }) => {
          const products = new Map(SKUS.map((sku) => [sku, product(sku, STOCK)]));
          const reservations = new Map<string, Reservation>();

          for (const command of shuffled) {
            const skus = command.type === 'ReserveStock' ? command.lines.map((l) => l.sku) : [];
            const before: InventoryState = {
              reservation: reservations.get(command.orderId),
              products: Object.fromEntries(skus.map((s) => [s, products.get(s)])),
            };
            for (const change of changesOf(before, decide(command, before))) {
              if (change.type === 'PutReservation') {
                expect(reservations.get(change.reservation.orderId)?.version).toBe(
                  change.expectedVersion,
                );
                reservations.set(change.reservation.orderId, change.reservation);
              } else {
                const p = products.get(change.sku)!;
                expect(p.available).toBeGreaterThanOrEqual(change.requireAvailable ?? 0);
                products.set(change.sku, {
                  ...p,
                  available: p.available + change.availableDelta,
                  reserved: p.reserved + change.reservedDelta,
                });
              }
            }
          }

          for (const sku of SKUS) {
            const held = [...reservations.values()]
              .filter((r) => r.status === 'RESERVED')
              .flatMap((r) => r.lines)
              .filter((l) => l.sku === sku)
              .reduce((sum, l) => sum + l.quantity, 0);
            const p = products.get(sku)!;
            expect(p.available).toBeGreaterThanOrEqual(0);
            expect(p.reserved).toBe(held);
            expect(p.available + held).toBe(STOCK);
          }
          orders.forEach((o, i) => {
            if (o.cancelled) expect(reservations.get(`ord_${i}`)?.status).not.toBe('RESERVED');
          });
        },
      ),
    );
  });
});
