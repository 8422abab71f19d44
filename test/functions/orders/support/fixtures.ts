import type { Context } from 'aws-lambda';
import { createEvent, type DataOf, type EventContract } from '#events/contract.js';
import type {
  CancelOrder,
  DispatchRecordedEvent,
  OrderCancelledEvent,
  OrderCompletedEvent,
  OrderConfirmedEvent,
  OrderEvent,
  OrderPlacedEvent,
  PaymentRecordedEvent,
  PlaceOrder,
  AcceptPayment,
  CancelForDecline,
  CompleteOrder,
  RecordDispatch,
  CancelForShortage,
  CancelForTimeout,
  PriceOrder,
  StockPricedEvent,
} from '../../../../functions/orders/domain/messages.js';
import type { StockReserved } from '#events';
import { evolve } from '../../../../functions/orders/domain/evolve.js';
import { noOrder, type Order, type OrderState } from '../../../../functions/orders/domain/state.js';
import type { Consumed } from '#plumbing/consumer.js';
import type { HttpEvent } from '#plumbing/http.js';
import { customerClaims } from '../../../support/lambda-events.js';
import { fakeSeal } from '../../../support/pii.js';

/** One order's journey, in small named pieces the tests assemble. */
export const ORDER_ID = 'ord_0123456789abcdef0123456789abcdef';
export const CUSTOMER_ID = 'cus_42';
export const PAYMENT_ID = 'pay_7';
export const SHIPMENT_ID = 'shp_9';
export const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 10, minute)).toISOString();

export const lines = [
  { sku: 'SKU-1', quantity: 2 },
  { sku: 'SKU-2', quantity: 1 },
];
export const pricedLines = [
  { sku: 'SKU-1', quantity: 2, unitPriceCents: 1000 },
  { sku: 'SKU-2', quantity: 1, unitPriceCents: 550 },
];
export const AMOUNT = 2550;
export const shippingAddress = {
  name: 'Ada Lovelace',
  line1: '12 St James Square',
  city: 'London',
  postalCode: 'SW1Y 4JH',
  country: 'GB',
};
/** What orders stores and emits: the fields sealed for the order (test/support/pii.ts). */
export const paymentTokenCiphertext = fakeSeal('paymentToken', 'tok_approve', ORDER_ID);
export const shippingAddressCiphertext = fakeSeal(
  'shippingAddress',
  JSON.stringify(shippingAddress),
  ORDER_ID,
);
export const pricing = { lines: pricedLines, amountCents: AMOUNT, currency: 'USD' as const };
const orderRef = { orderId: ORDER_ID, customerId: CUSTOMER_ID };

// Commands
export const placeOrder = (): PlaceOrder => ({
  type: 'PlaceOrder',
  at: at(0),
  data: { ...orderRef, lines, paymentTokenCiphertext, shippingAddressCiphertext },
});
export const cancelOrder = (minute = 9): CancelOrder => ({
  type: 'CancelOrder',
  orderId: ORDER_ID,
  at: at(minute),
});
export const stockReservedData = (): DataOf<typeof StockReserved> => ({
  ...orderRef,
  lines: pricedLines,
  amountCents: AMOUNT,
  currency: 'USD',
  paymentTokenCiphertext,
});
export const stockReserved = (minute = 1): PriceOrder => ({
  type: 'PriceOrder',
  at: at(minute),
  data: stockReservedData(),
});
export const stockReservationFailed = (minute = 1): CancelForShortage => ({
  type: 'CancelForShortage',
  at: at(minute),
  data: {
    ...orderRef,
    shortages: [{ sku: 'SKU-1', requested: 2, available: 1, reason: 'INSUFFICIENT_STOCK' }],
  },
});
export const paymentAuthorized = (minute = 2, amountCents = AMOUNT): AcceptPayment => ({
  type: 'AcceptPayment',
  at: at(minute),
  data: { orderId: ORDER_ID, paymentId: PAYMENT_ID, amountCents, currency: 'USD' },
});
export const paymentDeclined = (minute = 2): CancelForDecline => ({
  type: 'CancelForDecline',
  at: at(minute),
  data: { orderId: ORDER_ID, code: 'card_declined', message: 'Your card was declined.' },
});
export const shipmentDispatched = (minute = 4): RecordDispatch => ({
  type: 'RecordDispatch',
  at: at(minute),
  data: { ...orderRef, shipmentId: SHIPMENT_ID, carrier: 'UPS', trackingNumber: '1Z999' },
});
export const shipmentDelivered = (minute = 5): CompleteOrder => ({
  type: 'CompleteOrder',
  at: at(minute),
  data: { ...orderRef, shipmentId: SHIPMENT_ID, deliveredAt: at(minute) },
});

/** The order's deadline, 15 minutes after it was placed, as the schedule delivers it. */
export const deadlinePassed = (minute = 15): CancelForTimeout => ({
  type: 'CancelForTimeout',
  at: at(minute),
  data: { orderId: ORDER_ID, deadline: at(15) },
});

// Events (history)
export const orderPlaced = (): OrderPlacedEvent => ({
  type: 'OrderPlaced',
  at: at(0),
  data: { ...placeOrder().data, placedAt: at(0) },
});
export const stockPriced = (minute = 1): StockPricedEvent => ({
  type: 'StockPriced',
  at: at(minute),
  pricing,
});
export const paymentRecorded = (minute = 2): PaymentRecordedEvent => ({
  type: 'PaymentRecorded',
  at: at(minute),
  paymentId: PAYMENT_ID,
  amountCents: AMOUNT,
  currency: 'USD',
});
export const orderConfirmed = (minute = 2): OrderConfirmedEvent => ({
  type: 'OrderConfirmed',
  at: at(minute),
  paymentId: PAYMENT_ID,
  data: {
    ...orderRef,
    lines: pricedLines,
    amountCents: AMOUNT,
    currency: 'USD',
    shippingAddressCiphertext,
  },
});
export const orderCancelled = (
  reason: OrderCancelledEvent['data']['reason'],
  previousStatus: OrderCancelledEvent['data']['previousStatus'] = 'PENDING',
  minute = 3,
): OrderCancelledEvent => ({
  type: 'OrderCancelled',
  at: at(minute),
  data: { ...orderRef, reason, previousStatus },
});
export const dispatchRecorded = (minute = 4): DispatchRecordedEvent => ({
  type: 'DispatchRecorded',
  at: at(minute),
  shipmentId: SHIPMENT_ID,
});
export const orderCompleted = (minute = 5): OrderCompletedEvent => ({
  type: 'OrderCompleted',
  at: at(minute),
  shipmentId: SHIPMENT_ID,
  data: orderRef,
});

/** The order a history of events leads to, as stored. */
export const orderAfter = (...history: OrderEvent[]): Order => {
  const state = history.reduce<OrderState>(evolve, noOrder);
  if (state.status === 'NONE') throw new Error('orderAfter needs an OrderPlaced first');
  return state;
};

/** A consumed event as the SQS consumer hands it over (after parsing). */
export function delivered<C extends EventContract>(
  contract: C,
  data: DataOf<C>,
  cause = { correlationId: ORDER_ID, causationId: 'cause-1' },
): Consumed<C> {
  const event = createEvent(contract, data, cause);
  return {
    id: event.detail.metadata.eventId,
    source: event.source,
    'detail-type': event.detailType,
    time: event.detail.metadata.occurredAt,
    detail: event.detail,
  } as Consumed<C>;
}

/** An API Gateway HTTP API (payload 2.0) request; by default from customer CUSTOMER_ID. */
export function httpEvent(opts: {
  body?: unknown;
  headers?: Record<string, string>;
  pathParameters?: Record<string, string>;
  requestId?: string;
  /** The authorizer's claims; null for none. */
  claims?: Record<string, string> | null;
}): HttpEvent {
  const claims = opts.claims === undefined ? customerClaims(CUSTOMER_ID) : opts.claims;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...opts.headers },
    pathParameters: opts.pathParameters,
    body:
      opts.body === undefined
        ? undefined
        : typeof opts.body === 'string'
          ? opts.body
          : JSON.stringify(opts.body),
    isBase64Encoded: false,
    requestContext: {
      requestId: opts.requestId ?? 'req-1',
      ...(claims && { authorizer: { jwt: { claims, scopes: null } } }),
    },
  } as unknown as HttpEvent;
}

export const lambdaContext = { awsRequestId: 'aws-req-1' } as Context;

/** Parses a handler's JSON answer. */
export function answer(result: { statusCode?: number; headers?: unknown; body?: string }) {
  return {
    status: result.statusCode,
    headers: (result.headers ?? {}) as Record<string, string>,
    body: JSON.parse(result.body ?? 'null') as Record<string, unknown>,
  };
}
