import type { Product } from './product.js';
import type { InventoryCommand, InventoryEvent, ReleaseStock, ReserveStock } from './messages.js';
import { MAX_LINES, type InventoryState, type OrderLine, type Shortage } from './state.js';

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

function reserve(command: ReserveStock, state: InventoryState): InventoryEvent[] {
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
        paymentTokenCiphertext: command.paymentTokenCiphertext,
      },
    },
  ];
}

function release(command: ReleaseStock, state: InventoryState): InventoryEvent[] {
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

export function decide(command: InventoryCommand, state: InventoryState): InventoryEvent[] {
  switch (command.type) {
    case 'ReserveStock':
      return reserve(command, state);
    case 'ReleaseStock':
      return release(command, state);
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}
