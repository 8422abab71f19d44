import {
  ExportFailed,
  ExportRequested,
  ExportSucceeded,
  OrderDeadlinePassed,
  PaymentAuthorized,
  PaymentDeclined,
  ShipmentDelivered,
  ShipmentDispatched,
  StockReservationFailed,
  StockReserved,
} from '#events';

/**
 * The one list of contracts orders subscribes to: the CDK stack derives the
 * rule pattern from it and the consumer validates with it. ShipmentDispatched
 * is beyond the spec's table: it is what lets a cancel be refused once the
 * shipment has left.
 */
export const consumes = [
  StockReserved,
  StockReservationFailed,
  PaymentAuthorized,
  PaymentDeclined,
  ShipmentDispatched,
  ShipmentDelivered,
] as const;

/** The export worker's jobs: ExportRequested, which orders itself emits (docs/adr/0015). */
export const exportJobConsumes = [ExportRequested] as const;

/** The export callback's completions; its rule keeps only those with a callback. */
export const exportCallbackConsumes = [ExportSucceeded, ExportFailed] as const;

/**
 * What reaches the orders queue without crossing the bus: the deadline that
 * EventBridge Scheduler sends at each order's deadline (docs/adr/0017). Not in
 * the rule's pattern; the orders consumer parses it with the events above.
 */
export const scheduledConsumes = [OrderDeadlinePassed] as const;
