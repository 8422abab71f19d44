import type { DataOf } from '#events/contract.js';
import type {
  OrderCancelled,
  OrderCompleted,
  OrderConfirmed,
  OrderDeadlinePassed,
  OrderPlaced,
  PaymentAuthorized,
  PaymentDeclined,
  ShipmentDelivered,
  ShipmentDispatched,
  StockReservationFailed,
  StockReserved,
} from '#events';
import type { Pricing } from './state.js';

/** `at` is an ISO timestamp given by the caller: the domain never reads a clock. */
interface Timed {
  at: string;
}

/*
 * Commands, in the imperative: what the customer asks (PlaceOrder, CancelOrder)
 * and what another service's event asks of one order (StockReserved prices it,
 * PaymentAuthorized accepts its payment, ShipmentDelivered completes it, ...).
 */
export type PlaceOrder = Timed & {
  type: 'PlaceOrder';
  data: Omit<DataOf<typeof OrderPlaced>, 'placedAt'>;
};
export type CancelOrder = Timed & { type: 'CancelOrder'; orderId: string };
export type PriceOrder = Timed & {
  type: 'PriceOrder';
  data: DataOf<typeof StockReserved>;
};
export type CancelForShortage = Timed & {
  type: 'CancelForShortage';
  data: DataOf<typeof StockReservationFailed>;
};
export type AcceptPayment = Timed & {
  type: 'AcceptPayment';
  data: DataOf<typeof PaymentAuthorized>;
};
export type CancelForDecline = Timed & {
  type: 'CancelForDecline';
  data: DataOf<typeof PaymentDeclined>;
};
export type RecordDispatch = Timed & {
  type: 'RecordDispatch';
  data: DataOf<typeof ShipmentDispatched>;
};
export type CompleteOrder = Timed & {
  type: 'CompleteOrder';
  data: DataOf<typeof ShipmentDelivered>;
};
/** The order's deadline passed (EventBridge Scheduler, docs/adr/0017): time it out if still open. */
export type CancelForTimeout = Timed & {
  type: 'CancelForTimeout';
  data: DataOf<typeof OrderDeadlinePassed>;
};

export type OrderCommand =
  | PlaceOrder
  | CancelOrder
  | PriceOrder
  | CancelForShortage
  | AcceptPayment
  | CancelForDecline
  | RecordDispatch
  | CompleteOrder
  | CancelForTimeout;

/*
 * Events: what happened to the order. The four public ones carry exactly their
 * contract's `data` (they go on the bus) plus what only this aggregate needs;
 * the internal ones change the stored state and are never published.
 */
export type OrderPlacedEvent = Timed & {
  type: 'OrderPlaced';
  data: DataOf<typeof OrderPlaced>;
};
export type OrderConfirmedEvent = Timed & {
  type: 'OrderConfirmed';
  data: DataOf<typeof OrderConfirmed>;
  paymentId: string;
};
export type OrderCancelledEvent = Timed & {
  type: 'OrderCancelled';
  data: DataOf<typeof OrderCancelled>;
};
export type OrderCompletedEvent = Timed & {
  type: 'OrderCompleted';
  data: DataOf<typeof OrderCompleted>;
  shipmentId: string;
};
/** Internal: inventory's pricing, kept until the payment confirms the order. */
export type StockPricedEvent = Timed & { type: 'StockPriced'; pricing: Pricing };
/** Internal: a payment that arrived before the pricing; confirmation waits for it. */
export type PaymentRecordedEvent = Timed & {
  type: 'PaymentRecorded';
  paymentId: string;
  amountCents: number;
  currency: 'USD';
};
/** Internal: the shipment left; the customer can no longer cancel. */
export type DispatchRecordedEvent = Timed & { type: 'DispatchRecorded'; shipmentId: string };

export type PublicOrderEvent =
  OrderPlacedEvent | OrderConfirmedEvent | OrderCancelledEvent | OrderCompletedEvent;
export type OrderEvent =
  PublicOrderEvent | StockPricedEvent | PaymentRecordedEvent | DispatchRecordedEvent;
