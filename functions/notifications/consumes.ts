import { OrderCancelled, OrderConfirmed, ShipmentDelivered, ShipmentDispatched } from '#events';

/** The customer-facing events: one notification each. The CDK rule and the consumer derive from this list. */
export const consumes = [
  OrderConfirmed,
  OrderCancelled,
  ShipmentDispatched,
  ShipmentDelivered,
] as const;
