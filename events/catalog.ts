import type { EventContract } from './contract.js';
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
} from './index.js';

/** Every contract of the system, for tooling (schema export, registry, docs). */
export const allContracts: readonly EventContract[] = [
  OrderPlaced,
  OrderConfirmed,
  OrderCancelled,
  OrderCompleted,
  StockReserved,
  StockReservationFailed,
  StockReleased,
  PaymentAuthorized,
  PaymentDeclined,
  PaymentRefunded,
  ShipmentScheduled,
  ShipmentDispatched,
  ShipmentDelivered,
  ShipmentCancelled,
];
