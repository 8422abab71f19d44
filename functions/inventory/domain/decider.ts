import type { Decider } from '#plumbing/decider.js';
import { decide } from './decide.js';
import { evolve } from './evolve.js';
import type { InventoryCommand, InventoryEvent } from './messages.js';
import { initialState, type InventoryState } from './state.js';

/** One order's reservation as one decider: where it starts, what it decides, how it changes. */
export const inventoryDecider = {
  initialState,
  decide,
  evolve,
} satisfies Decider<InventoryState, InventoryCommand, InventoryEvent>;
