import type { OrderSummary } from './domain/render.js';
import type { OrderStatus, OrderView } from './domain/order-view.js';

/**
 * Which projection version readers use (`active`) and which one a rebuild is
 * filling (`building`, while `npm run rebuild` runs). Versions live side by
 * side in the one table (docs/adr/0016-read-model.md).
 */
export interface ProjectionPointer {
  active: number;
  building?: number;
}

export type ReadPointer = () => Promise<ProjectionPointer>;

/** A view with the revision it was stored at (optimistic concurrency). */
export interface StoredView {
  view: OrderView;
  revision: number;
}

export type LoadView = (version: number, orderId: string) => Promise<StoredView | undefined>;

/**
 * Stores the view if its item is still at `expectedRevision` (0: not stored
 * yet); ConcurrentUpdateError when another writer got there first.
 */
export type SaveView = (
  version: number,
  view: OrderView,
  expectedRevision: number,
) => Promise<void>;

/** Where a page ended: the last view returned (pages run newest first). */
export interface ListPosition {
  placedAt: string;
  orderId: string;
}

export interface ViewPage {
  /** Each view's list entry, as the list index holds it. */
  orders: OrderSummary[];
  /** Set when there may be more, older views. */
  next?: ListPosition | undefined;
}

export type ListViews = (
  version: number,
  customerId: string,
  page: { limit: number; status?: OrderStatus | undefined; after?: ListPosition | undefined },
) => Promise<ViewPage>;
