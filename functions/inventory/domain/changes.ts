import { evolve } from './evolve.js';
import type { InventoryEvent } from './messages.js';
import type { InventoryState, Reservation } from './state.js';

/**
 * What a decision changes in storage, so the adapter only translates. The
 * reservation write carries the version it was decided on (none: it must not
 * exist yet); stock changes are deltas, and a reservation requires the stock to
 * still be there when it commits.
 */
export type Change =
  | { type: 'PutReservation'; reservation: Reservation; expectedVersion: number | undefined }
  | {
      type: 'AdjustStock';
      sku: string;
      availableDelta: number;
      reservedDelta: number;
      /** Set when the delta takes stock: the commit needs `available >= requireAvailable`. */
      requireAvailable: number | undefined;
    };

function stockChanges(fact: InventoryEvent): Change[] {
  switch (fact.type) {
    case 'StockReserved':
      return fact.data.lines.map(({ sku, quantity }) => ({
        type: 'AdjustStock',
        sku,
        availableDelta: -quantity,
        reservedDelta: quantity,
        requireAvailable: quantity,
      }));
    case 'StockReleased':
      return fact.data.lines.map(({ sku, quantity }) => ({
        type: 'AdjustStock',
        sku,
        availableDelta: quantity,
        reservedDelta: -quantity,
        requireAvailable: undefined,
      }));
    case 'StockReservationFailed':
    case 'CancellationRecorded':
      return [];
    default: {
      const _exhaustive: never = fact;
      return _exhaustive;
    }
  }
}

export function changesOf(before: InventoryState, facts: readonly InventoryEvent[]): Change[] {
  const after = facts.reduce(evolve, before);
  const changes: Change[] = [];
  if (after.reservation && after.reservation !== before.reservation) {
    changes.push({
      type: 'PutReservation',
      reservation: after.reservation,
      expectedVersion: before.reservation?.version,
    });
  }
  changes.push(...facts.flatMap(stockChanges));
  return changes;
}
