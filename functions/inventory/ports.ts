import type { DomainEvent } from '#events/contract.js';
import type { CommitResult } from '#plumbing/outbox.js';
import type { Product } from './domain/product.js';
import type { InventoryEvent } from './domain/messages.js';
import type { InventoryState } from './domain/state.js';

/** Loads an order's reservation and the given products (a strongly consistent snapshot). */
export type LoadInventoryState = (
  orderId: string,
  skus: readonly string[],
) => Promise<InventoryState>;

export interface InventoryDecision {
  before: InventoryState;
  facts: readonly InventoryEvent[];
  /** The published events of `facts`, already built from their contracts. */
  events: readonly DomainEvent[];
  handledEventId: string;
}

/**
 * Stores a decision atomically (state, outbox rows, processed marker). Throws
 * ConcurrentUpdateError when stock or the reservation moved since the load.
 */
export type SaveInventoryDecision = (decision: InventoryDecision) => Promise<CommitResult>;

export type GetProduct = (sku: string) => Promise<Product | undefined>;

export interface ProductDetails {
  sku: string;
  name: string;
  priceCents: number;
}

/** Creates the product with no stock, or updates its name and price and keeps its stock. */
export type UpsertProduct = (
  details: ProductDetails,
) => Promise<{ product: Product; created: boolean }>;

export interface RestockRequest {
  sku: string;
  quantity: number;
  /** When given, a retry with the same key and body adds nothing a second time. */
  idempotencyKey?: string | undefined;
}

export type RestockOutcome =
  | { outcome: 'restocked'; product: Product }
  /** The key was seen with this same request: nothing added; the product as it is now. */
  | { outcome: 'replayed'; product: Product }
  | { outcome: 'unknown-sku' }
  /** The key was first used for another request. */
  | { outcome: 'key-reused'; original: { sku: string; quantity: number } };

export type RestockProduct = (request: RestockRequest) => Promise<RestockOutcome>;
