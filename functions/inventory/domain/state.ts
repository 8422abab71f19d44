import type { DataOf } from '#events/contract.js';
import type { StockReservationFailed } from '#events';
import type { Product } from './product.js';

/**
 * Most distinct SKUs one order may reserve. With the processed marker, the
 * reservation and one outbox row, 50 product updates keep a reservation inside
 * DynamoDB's 100 items per transaction (OrderPlaced allows at most 50 lines).
 */
export const MAX_LINES = 50;

export interface OrderLine {
  sku: string;
  quantity: number;
}
export interface PricedLine extends OrderLine {
  unitPriceCents: number;
}
export type Shortage = DataOf<typeof StockReservationFailed>['shortages'][number];

export type Reservation =
  | {
      status: 'RESERVED';
      orderId: string;
      customerId: string;
      lines: PricedLine[];
      version: number;
    }
  | {
      status: 'RELEASED';
      orderId: string;
      customerId: string;
      lines: PricedLine[];
      version: number;
    }
  | {
      status: 'FAILED';
      orderId: string;
      customerId: string;
      shortages: Shortage[];
      version: number;
    }
  /** The order was cancelled before its OrderPlaced got here: reserve nothing, ever. */
  | { status: 'CANCELLED_BEFORE_RESERVE'; orderId: string; customerId: string; version: number };

export type ReservationStatus = Reservation['status'];

export interface InventoryState {
  /** Undefined until the order's first event is handled. */
  reservation: Reservation | undefined;
  /** The products of the order's lines, by SKU; a missing SKU is not in the catalog. */
  products: Readonly<Record<string, Product | undefined>>;
}

export const initialState: InventoryState = { reservation: undefined, products: {} };
