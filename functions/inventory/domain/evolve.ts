import type { InventoryEvent } from './messages.js';
import type { InventoryState, OrderLine } from './state.js';

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

export function evolve(state: InventoryState, fact: InventoryEvent): InventoryState {
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
