import type { DataOf } from '#events/contract.js';
import type { StockReleased, StockReservationFailed, StockReserved } from '#events';
import type { OrderLine } from './state.js';

/*
 * Commands, in the imperative: what a consumed event asks of one order's
 * reservation (OrderPlaced: reserve its stock; OrderCancelled: release it).
 * Events, in the past tense: what inventory publishes, plus one private event
 * (the tombstone of a cancellation that arrived first).
 */

export type ReserveStock = {
  type: 'ReserveStock';
  orderId: string;
  customerId: string;
  lines: readonly OrderLine[];
  /** Sealed for payments (docs/adr/0014-data-protection.md): passed on to StockReserved unread. */
  paymentTokenCiphertext: string;
};
export type ReleaseStock = { type: 'ReleaseStock'; orderId: string; customerId: string };

export type InventoryCommand = ReserveStock | ReleaseStock;

export type InventoryEvent =
  | { type: 'StockReserved'; data: DataOf<typeof StockReserved> }
  | { type: 'StockReservationFailed'; data: DataOf<typeof StockReservationFailed> }
  | { type: 'StockReleased'; data: DataOf<typeof StockReleased> }
  /** Private: recorded, never published. */
  | { type: 'CancellationRecorded'; data: { orderId: string; customerId: string } };
