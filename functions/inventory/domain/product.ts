import * as z from 'zod';
import { text } from '#events/common.js';

/** A catalog entry and its stock. `reserved` is the sum held by live (RESERVED) reservations. */
export interface Product {
  sku: string;
  name: string;
  priceCents: number;
  available: number;
  reserved: number;
  version: number;
}

/**
 * Highest price accepted, $1,000,000. It keeps an order's amount (at most 50 lines of
 * 1000 units) far below Number.MAX_SAFE_INTEGER, so money stays exact in cents.
 */
export const MAX_PRICE_CENTS = 100_000_000;
/** Largest single restock; a typo of a few extra zeros should fail loudly, not flood stock. */
export const MAX_RESTOCK = 1_000_000;

export const productName = text(1, 200);
export const priceCents = z.number().int().min(0).max(MAX_PRICE_CENTS);
export const restockQuantity = z.number().int().min(1).max(MAX_RESTOCK);

/** What clients see of a product: the catalog fields and the stock, no bookkeeping. */
export interface ProductView {
  sku: string;
  name: string;
  priceCents: number;
  available: number;
  reserved: number;
}

export function viewOf(product: Product): ProductView {
  const { sku, name, priceCents, available, reserved } = product;
  return { sku, name, priceCents, available, reserved };
}
