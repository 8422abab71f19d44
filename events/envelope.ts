import * as z from 'zod';

/**
 * What every event carries besides its data (see shared/SYSTEM.md, "Event envelope").
 * `eventId` is the dedup key every consumer keys its idempotency on.
 */
export const metadataSchema = z.object({
  eventId: z.uuid(),
  occurredAt: z.iso.datetime({ offset: true }),
  schemaVersion: z.number().int().positive(),
  /** The order's journey: every event caused, directly or not, by one order shares it. */
  correlationId: z.string().min(1),
  /** The eventId (or HTTP request id) of what caused this event. */
  causationId: z.string().min(1),
});

export type EventMetadata = z.infer<typeof metadataSchema>;

/** The services that may publish on the bus; each event's source is `shop.<service>`. */
export const SERVICES = ['orders', 'inventory', 'payments', 'shipping', 'notifications'] as const;
export type ServiceName = (typeof SERVICES)[number];
export type EventSource = `shop.${ServiceName}`;

/** Name of the one bus every service publishes on. Configuration, not a physical name. */
export const BUS_LOGICAL_NAME = 'shop';
