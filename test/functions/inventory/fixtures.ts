import type { Product } from '../../../functions/inventory/domain/product.js';
import type {
  InventoryCommand,
  InventoryEvent,
} from '../../../functions/inventory/domain/messages.js';
import type { InventoryState, OrderLine } from '../../../functions/inventory/domain/state.js';
import { SEALED_TOKEN } from '../../support/pii.js';

export const ORDER = 'ord_1';
export const CUSTOMER = 'cus_1';

export function product(sku: string, available: number, priceCents = 250, reserved = 0): Product {
  return { sku, name: `Product ${sku}`, priceCents, available, reserved, version: 1 };
}

export function stateWith(...products: Product[]): InventoryState {
  return {
    reservation: undefined,
    products: Object.fromEntries(products.map((p) => [p.sku, p])),
  };
}

export function placed(lines: OrderLine[], orderId = ORDER): InventoryCommand {
  return {
    type: 'ReserveStock',
    orderId,
    customerId: CUSTOMER,
    lines,
    paymentTokenCiphertext: SEALED_TOKEN,
  };
}

export function cancelled(orderId = ORDER): InventoryCommand {
  return { type: 'ReleaseStock', orderId, customerId: CUSTOMER };
}

export function reserved(
  lines: { sku: string; quantity: number; unitPriceCents: number }[],
  orderId = ORDER,
): InventoryEvent {
  return {
    type: 'StockReserved',
    data: {
      orderId,
      customerId: CUSTOMER,
      lines,
      amountCents: lines.reduce((s, l) => s + l.quantity * l.unitPriceCents, 0),
      currency: 'USD',
      paymentTokenCiphertext: SEALED_TOKEN,
    },
  };
}

export function released(lines: OrderLine[], orderId = ORDER): InventoryEvent {
  return { type: 'StockReleased', data: { orderId, lines } };
}

export function tombstone(orderId = ORDER): InventoryEvent {
  return { type: 'CancellationRecorded', data: { orderId, customerId: CUSTOMER } };
}
