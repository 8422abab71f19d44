import type { DomainEvent } from '#events/contract.js';
import type { Shipment } from './domain/state.js';

/** A stored shipment and the version its next write must match. */
export interface Stored {
  state: Shipment;
  version: number;
}

export type LoadShipment = (shipmentId: string) => Promise<Stored | undefined>;

/**
 * Stores the next state and its events in one transaction (outbox), conditioned
 * on the version loaded. `handledEventId` makes a consumed event apply once.
 * Answers 'duplicate' when that event was already handled.
 */
export type SaveShipment = (change: {
  shipmentId: string;
  next: Shipment;
  expectedVersion: number;
  events: readonly DomainEvent[];
  handledEventId?: string;
}) => Promise<'committed' | 'duplicate'>;

/** The carrier webhook's HMAC secrets accepted now: current, then previous during a rotation. */
export type GetWebhookSecrets = () => Promise<readonly string[]>;
