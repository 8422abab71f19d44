import type { DataOf } from '../../../events/contract.js';
import type {
  StockReleased,
  StockReservationFailed,
  StockReserved,
} from '../../../events/index.js';
import type { Product } from './product.js';

/*
 * One order's reservation, as a decider: decide(command, state) -> facts,
 * evolve(state, fact) -> state. The state is the order's reservation plus the
 * products of its lines; the facts are what inventory publishes, plus one
 * private fact (the tombstone of a cancellation that arrived first).
 */

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

/** The consumed events, as the commands this decider takes. */
export type Command =
  | {
      type: 'OrderPlaced';
      orderId: string;
      customerId: string;
      lines: readonly OrderLine[];
      paymentToken: string;
    }
  | { type: 'OrderCancelled'; orderId: string; customerId: string };

export type Fact =
  | { type: 'StockReserved'; data: DataOf<typeof StockReserved> }
  | { type: 'StockReservationFailed'; data: DataOf<typeof StockReservationFailed> }
  | { type: 'StockReleased'; data: DataOf<typeof StockReleased> }
  /** Private: recorded, never published. */
  | { type: 'CancellationRecorded'; data: { orderId: string; customerId: string } };

/**
 * One line per SKU, quantities summed, in first-seen order. Needed twice over:
 * availability must be checked against the total, and one transaction may not
 * touch the same product item twice.
 */
export function sumLines(lines: readonly OrderLine[]): OrderLine[] {
  const totals = new Map<string, number>();
  for (const line of lines) totals.set(line.sku, (totals.get(line.sku) ?? 0) + line.quantity);
  return [...totals].map(([sku, quantity]) => ({ sku, quantity }));
}

function shortageOf(line: OrderLine, product: Product | undefined): Shortage | undefined {
  if (!product) {
    return { sku: line.sku, requested: line.quantity, available: 0, reason: 'UNKNOWN_SKU' };
  }
  if (product.available < line.quantity) {
    return {
      sku: line.sku,
      requested: line.quantity,
      available: product.available,
      reason: 'INSUFFICIENT_STOCK',
    };
  }
  return undefined;
}

function reserve(
  command: Extract<Command, { type: 'OrderPlaced' }>,
  state: InventoryState,
): Fact[] {
  // Any reservation record means this order was decided already: a redelivered
  // or replayed OrderPlaced, or a cancellation that got here first (tombstone).
  if (state.reservation) return [];
  const lines = sumLines(command.lines);
  if (lines.length > MAX_LINES) {
    throw new Error(
      `Order ${command.orderId} has ${lines.length} distinct SKUs; at most ${MAX_LINES} fit one reservation transaction.`,
    );
  }
  const shortages = lines.flatMap((line) => shortageOf(line, state.products[line.sku]) ?? []);
  if (shortages.length > 0) {
    return [
      {
        type: 'StockReservationFailed',
        data: { orderId: command.orderId, customerId: command.customerId, shortages },
      },
    ];
  }
  const priced = lines.map((line) => ({
    ...line,
    // Inventory is the price authority: the catalog price now, not what the client saw.
    unitPriceCents: state.products[line.sku]!.priceCents,
  }));
  return [
    {
      type: 'StockReserved',
      data: {
        orderId: command.orderId,
        customerId: command.customerId,
        lines: priced,
        amountCents: priced.reduce((sum, l) => sum + l.quantity * l.unitPriceCents, 0),
        currency: 'USD',
        paymentToken: command.paymentToken,
      },
    },
  ];
}

function release(
  command: Extract<Command, { type: 'OrderCancelled' }>,
  state: InventoryState,
): Fact[] {
  const { reservation } = state;
  if (!reservation) {
    // The cancellation overtook OrderPlaced: remember it, so the late OrderPlaced reserves nothing.
    return [
      {
        type: 'CancellationRecorded',
        data: { orderId: command.orderId, customerId: command.customerId },
      },
    ];
  }
  switch (reservation.status) {
    case 'RESERVED':
      return [
        {
          type: 'StockReleased',
          data: {
            orderId: reservation.orderId,
            lines: reservation.lines.map(({ sku, quantity }) => ({ sku, quantity })),
          },
        },
      ];
    case 'RELEASED':
    case 'FAILED':
    case 'CANCELLED_BEFORE_RESERVE':
      return [];
    default: {
      const _exhaustive: never = reservation;
      return _exhaustive;
    }
  }
}

export function decide(command: Command, state: InventoryState): Fact[] {
  switch (command.type) {
    case 'OrderPlaced':
      return reserve(command, state);
    case 'OrderCancelled':
      return release(command, state);
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

function adjust(
  products: InventoryState['products'],
  lines: readonly OrderLine[],
  direction: 1 | -1,
): InventoryState['products'] {
  const next = { ...products };
  for (const { sku, quantity } of lines) {
    const product = next[sku];
    // A product missing from the state was not loaded (a release needs only the reservation).
    if (!product) continue;
    next[sku] = {
      ...product,
      available: product.available - direction * quantity,
      reserved: product.reserved + direction * quantity,
      version: product.version + 1,
    };
  }
  return next;
}

export function evolve(state: InventoryState, fact: Fact): InventoryState {
  const version = (state.reservation?.version ?? 0) + 1;
  switch (fact.type) {
    case 'StockReserved': {
      const { orderId, customerId, lines } = fact.data;
      return {
        reservation: { status: 'RESERVED', orderId, customerId, lines, version },
        products: adjust(state.products, lines, 1),
      };
    }
    case 'StockReservationFailed': {
      const { orderId, customerId, shortages } = fact.data;
      return {
        ...state,
        reservation: { status: 'FAILED', orderId, customerId, shortages, version },
      };
    }
    case 'StockReleased': {
      if (state.reservation?.status !== 'RESERVED') {
        throw new Error(
          `StockReleased for order ${fact.data.orderId} needs a RESERVED reservation; found ${state.reservation?.status ?? 'none'}.`,
        );
      }
      return {
        reservation: { ...state.reservation, status: 'RELEASED', version },
        products: adjust(state.products, fact.data.lines, -1),
      };
    }
    case 'CancellationRecorded': {
      const { orderId, customerId } = fact.data;
      return {
        ...state,
        reservation: { status: 'CANCELLED_BEFORE_RESERVE', orderId, customerId, version },
      };
    }
    default: {
      const _exhaustive: never = fact;
      return _exhaustive;
    }
  }
}

export const inventoryDecider = { initialState, decide, evolve };

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

function stockChanges(fact: Fact): Change[] {
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

export function changesOf(before: InventoryState, facts: readonly Fact[]): Change[] {
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
