import {
  OrderCancelled,
  OrderCompleted,
  OrderConfirmed,
  OrderPlaced,
  PaymentAuthorized,
  PaymentDeclined,
  PaymentRefunded,
  ShipmentCancelled,
  ShipmentDelivered,
  ShipmentDispatched,
  ShipmentScheduled,
  StockReleased,
  StockReservationFailed,
  StockReserved,
} from '#events';

/**
 * Every event of an order's journey, the one list the CDK rules (live and
 * rebuild) and the consumers derive from. Order exports' job events
 * (ExportRequested, ...) are no part of a journey and stay out.
 */
export const consumes = [
  OrderPlaced,
  StockReserved,
  StockReservationFailed,
  PaymentAuthorized,
  PaymentDeclined,
  OrderConfirmed,
  ShipmentScheduled,
  ShipmentDispatched,
  ShipmentDelivered,
  OrderCompleted,
  OrderCancelled,
  StockReleased,
  PaymentRefunded,
  ShipmentCancelled,
] as const;
