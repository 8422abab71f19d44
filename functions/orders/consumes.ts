import {
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
