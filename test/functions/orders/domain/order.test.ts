import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orderDecider, run } from '../../../../functions/orders/domain/decider.js';
import { evolve } from '../../../../functions/orders/domain/evolve.js';
import {
  InconsistentOrder,
  OrderNotFound,
  OrderRejected,
} from '../../../../functions/orders/domain/errors.js';
import type { OrderCommand, OrderEvent } from '../../../../functions/orders/domain/messages.js';
import { noOrder, type OrderState } from '../../../../functions/orders/domain/state.js';
import { spec } from '../../../support/given-when-then.js';
import {
  AMOUNT,
  at,
  cancelOrder,
  deadlinePassed,
  dispatchRecorded,
  orderCancelled,
  orderCompleted,
  orderConfirmed,
  orderPlaced,
  PAYMENT_ID,
  paymentAuthorized,
  paymentDeclined,
  paymentRecorded,
  placeOrder,
  pricedLines,
  pricing,
  SHIPMENT_ID,
  shipmentDelivered,
  shipmentDispatched,
  stockPriced,
  stockReservationFailed,
  stockReserved,
} from '../support/fixtures.js';

const order = spec(orderDecider);

// Histories of the order at each point of its journey.
const pending = [orderPlaced()];
const priced = [orderPlaced(), stockPriced()];
const paidBeforePriced = [orderPlaced(), paymentRecorded()];
const confirmed = [orderPlaced(), stockPriced(), orderConfirmed()];
const dispatched = [...confirmed, dispatchRecorded()];
const completed = [...dispatched, orderCompleted()];
const outOfStock = [orderPlaced(), orderCancelled('OUT_OF_STOCK')];
const declined = [...priced, orderCancelled('PAYMENT_DECLINED')];
const cancelledWhileConfirmed = [...confirmed, orderCancelled('CUSTOMER_REQUEST', 'CONFIRMED')];

const stateAfter = (history: readonly OrderEvent[]): OrderState =>
  history.reduce(evolve, noOrder as OrderState);

describe('PlaceOrder', () => {
  it('places a PENDING order with OrderPlaced, stamped with the time it was placed', () => {
    order.given([]).when(placeOrder()).then([orderPlaced()]);
    order
      .given([])
      .when(placeOrder())
      .thenState((s) => expect(s).toMatchObject({ status: 'PENDING', placedAt: at(0) }));
  });

  it('refuses to place an order whose id exists (a bug guard: ids are fresh)', () => {
    order.given(pending).when(placeOrder()).thenThrows(OrderRejected);
  });

  it('does not keep the payment token in the order', () => {
    expect(stateAfter(pending)).not.toHaveProperty('paymentToken');
  });
});

describe('StockReserved', () => {
  it('records the pricing on a PENDING order without emitting anything public', () => {
    order.given(pending).when(stockReserved()).then([stockPriced()]);
    order
      .given(pending)
      .when(stockReserved())
      .thenState((s) => expect(s).toMatchObject({ status: 'PENDING', pricing }));
  });

  it('confirms when the payment overtook it (out-of-order delivery)', () => {
    order
      .given(paidBeforePriced)
      .when(stockReserved(3))
      .then([orderConfirmed(3)]);
    order
      .given(paidBeforePriced)
      .when(stockReserved(3))
      .thenState((s) =>
        expect(s).toMatchObject({
          status: 'CONFIRMED',
          pricing,
          authorization: { paymentId: PAYMENT_ID, amountCents: AMOUNT },
          confirmedAt: at(3),
        }),
      );
  });

  it('changes nothing when redelivered', () => {
    order.given(priced).when(stockReserved(5)).thenNothing();
    order.given(confirmed).when(stockReserved(5)).thenNothing();
    order.given(completed).when(stockReserved(5)).thenNothing();
  });

  it('changes nothing on a CANCELLED order (inventory releases on OrderCancelled itself)', () => {
    order
      .given([orderPlaced(), orderCancelled('CUSTOMER_REQUEST')])
      .when(stockReserved(5))
      .thenNothing();
  });

  it('refuses pricing for lines the order does not have', () => {
    const wrong = stockReserved();
    wrong.data.lines = [{ sku: 'SKU-1', quantity: 3, unitPriceCents: 1000 }];
    order.given(pending).when(wrong).thenThrows(InconsistentOrder);
  });

  it('fails loudly for an order that does not exist', () => {
    order.given([]).when(stockReserved()).thenThrows(OrderNotFound);
  });
});

describe('PaymentAuthorized', () => {
  it('confirms a priced order: CONFIRMED + OrderConfirmed with priced lines, amount, address', () => {
    order.given(priced).when(paymentAuthorized()).then([orderConfirmed()]);
    order
      .given(priced)
      .when(paymentAuthorized())
      .thenState((s) =>
        expect(s).toMatchObject({
          status: 'CONFIRMED',
          pricing,
          authorization: { paymentId: PAYMENT_ID, amountCents: AMOUNT, currency: 'USD' },
        }),
      );
  });

  it('before the pricing (out of order): keeps the authorization and waits, still PENDING', () => {
    order.given(pending).when(paymentAuthorized()).then([paymentRecorded()]);
    order
      .given(pending)
      .when(paymentAuthorized())
      .thenState((s) =>
        expect(s).toMatchObject({
          status: 'PENDING',
          authorization: { paymentId: PAYMENT_ID, amountCents: AMOUNT },
        }),
      );
  });

  it('changes nothing when redelivered, before or after confirmation', () => {
    order.given(paidBeforePriced).when(paymentAuthorized(4)).thenNothing();
    order.given(confirmed).when(paymentAuthorized(4)).thenNothing();
    order.given(completed).when(paymentAuthorized(4)).thenNothing();
  });

  it('changes nothing on a CANCELLED order (payments refunds on OrderCancelled itself)', () => {
    order.given(outOfStock).when(paymentAuthorized()).thenNothing();
    order
      .given([...priced, orderCancelled('CUSTOMER_REQUEST')])
      .when(paymentAuthorized())
      .thenNothing();
  });

  it('refuses to confirm when the amount charged is not the amount priced, in either order', () => {
    order
      .given(priced)
      .when(paymentAuthorized(2, AMOUNT + 1))
      .thenThrows(InconsistentOrder);
    const overcharged = [orderPlaced(), { ...paymentRecorded(), amountCents: AMOUNT + 1 }];
    order
      .given(overcharged)
      .when(stockReserved(3))
      .thenThrows(/authorized 2551 USD/);
  });

  it('fails loudly for an order that does not exist', () => {
    order.given([]).when(paymentAuthorized()).thenThrows(OrderNotFound);
  });
});

describe('StockReservationFailed', () => {
  it('cancels a PENDING order: CANCELLED(OUT_OF_STOCK) + OrderCancelled', () => {
    order
      .given(pending)
      .when(stockReservationFailed())
      .then([orderCancelled('OUT_OF_STOCK', 'PENDING', 1)]);
    order
      .given(pending)
      .when(stockReservationFailed())
      .thenState((s) =>
        expect(s).toMatchObject({
          status: 'CANCELLED',
          reason: 'OUT_OF_STOCK',
          cancelledAt: at(1),
        }),
      );
  });

  it('after CONFIRMED (causally impossible) changes nothing rather than crash', () => {
    order.given(confirmed).when(stockReservationFailed(6)).thenNothing();
    order.given(completed).when(stockReservationFailed(6)).thenNothing();
  });

  it('changes nothing when redelivered', () => {
    order.given(outOfStock).when(stockReservationFailed(6)).thenNothing();
  });

  it('fails loudly for an order that does not exist', () => {
    order.given([]).when(stockReservationFailed()).thenThrows(OrderNotFound);
  });
});

describe('PaymentDeclined', () => {
  it('cancels a PENDING order: CANCELLED(PAYMENT_DECLINED) + OrderCancelled, keeping the pricing', () => {
    order
      .given(priced)
      .when(paymentDeclined())
      .then([orderCancelled('PAYMENT_DECLINED', 'PENDING', 2)]);
    order
      .given(priced)
      .when(paymentDeclined())
      .thenState((s) =>
        expect(s).toMatchObject({ status: 'CANCELLED', reason: 'PAYMENT_DECLINED', pricing }),
      );
  });

  it('changes nothing when redelivered, or after a customer cancellation won the race', () => {
    order.given(declined).when(paymentDeclined(6)).thenNothing();
    order
      .given([...priced, orderCancelled('CUSTOMER_REQUEST')])
      .when(paymentDeclined(6))
      .thenNothing();
  });

  it('changes nothing on a CONFIRMED order (a decline after an authorization cannot happen)', () => {
    order.given(confirmed).when(paymentDeclined(6)).thenNothing();
  });

  it('fails loudly for an order that does not exist', () => {
    order.given([]).when(paymentDeclined()).thenThrows(OrderNotFound);
  });
});

describe('ShipmentDispatched', () => {
  it('marks a CONFIRMED order dispatched (no public event)', () => {
    order.given(confirmed).when(shipmentDispatched()).then([dispatchRecorded()]);
    order
      .given(confirmed)
      .when(shipmentDispatched())
      .thenState((s) =>
        expect(s).toMatchObject({
          status: 'CONFIRMED',
          dispatch: { shipmentId: SHIPMENT_ID, dispatchedAt: at(4) },
        }),
      );
  });

  it('changes nothing when redelivered, late, or on a CANCELLED order', () => {
    order.given(dispatched).when(shipmentDispatched(6)).thenNothing();
    order.given(completed).when(shipmentDispatched(6)).thenNothing();
    order.given(cancelledWhileConfirmed).when(shipmentDispatched(6)).thenNothing();
    order.given(pending).when(shipmentDispatched(6)).thenNothing();
  });

  it('fails loudly for an order that does not exist', () => {
    order.given([]).when(shipmentDispatched()).thenThrows(OrderNotFound);
  });
});

describe('ShipmentDelivered', () => {
  it('completes a dispatched order: COMPLETED + OrderCompleted', () => {
    order.given(dispatched).when(shipmentDelivered()).then([orderCompleted()]);
    order
      .given(dispatched)
      .when(shipmentDelivered())
      .thenState((s) =>
        expect(s).toMatchObject({
          status: 'COMPLETED',
          shipmentId: SHIPMENT_ID,
          completedAt: at(5),
          confirmedAt: at(2),
        }),
      );
  });

  it('completes a CONFIRMED order whose ShipmentDispatched has not arrived yet (out of order)', () => {
    order.given(confirmed).when(shipmentDelivered()).then([orderCompleted()]);
  });

  it('changes nothing when redelivered or on a CANCELLED order', () => {
    order.given(completed).when(shipmentDelivered(7)).thenNothing();
    order.given(cancelledWhileConfirmed).when(shipmentDelivered(7)).thenNothing();
  });

  it('fails loudly for an order that does not exist', () => {
    order.given([]).when(shipmentDelivered()).thenThrows(OrderNotFound);
  });
});

describe('OrderDeadlinePassed', () => {
  const timedOut = (previousStatus: 'PENDING' = 'PENDING') =>
    orderCancelled('TIMED_OUT', previousStatus, 15);

  it('cancels an order still waiting for its reservation: CANCELLED(TIMED_OUT) + OrderCancelled', () => {
    order.given(pending).when(deadlinePassed()).then([timedOut()]);
    order
      .given(pending)
      .when(deadlinePassed())
      .thenState((s) =>
        expect(s).toMatchObject({
          status: 'CANCELLED',
          reason: 'TIMED_OUT',
          previousStatus: 'PENDING',
          cancelledAt: at(15),
        }),
      );
  });

  it('cancels a priced order whose payment never answered, keeping the pricing for the record', () => {
    order.given(priced).when(deadlinePassed()).then([timedOut()]);
    order
      .given(priced)
      .when(deadlinePassed())
      .thenState((s) => expect(s).toMatchObject({ status: 'CANCELLED', pricing }));
  });

  it('cancels an order whose payment arrived but whose pricing did not (payments refunds it)', () => {
    order
      .given(paidBeforePriced)
      .when(deadlinePassed())
      .thenState((s) =>
        expect(s).toMatchObject({
          status: 'CANCELLED',
          reason: 'TIMED_OUT',
          authorization: { paymentId: PAYMENT_ID },
        }),
      );
  });

  it('changes nothing on a CONFIRMED, dispatched or COMPLETED order: the saga finished in time', () => {
    order.given(confirmed).when(deadlinePassed()).thenNothing();
    order.given(dispatched).when(deadlinePassed()).thenNothing();
    order.given(completed).when(deadlinePassed()).thenNothing();
  });

  it('changes nothing on an order another cancellation already settled', () => {
    order.given(outOfStock).when(deadlinePassed()).thenNothing();
    order.given(declined).when(deadlinePassed()).thenNothing();
    order.given(cancelledWhileConfirmed).when(deadlinePassed()).thenNothing();
  });

  it('a second firing after the timeout changes nothing', () => {
    order
      .given([...pending, timedOut()])
      .when(deadlinePassed(16))
      .thenNothing();
  });

  it('after the timeout, a late reservation, charge or decline changes nothing (their services compensate)', () => {
    const history = [...pending, timedOut()];
    order.given(history).when(stockReserved(20)).thenNothing();
    order.given(history).when(paymentAuthorized(21)).thenNothing();
    order.given(history).when(paymentDeclined(21)).thenNothing();
    order
      .given([...priced, timedOut()])
      .when(paymentAuthorized(21))
      .thenNothing();
  });

  it('after the timeout, the customer can no longer cancel (it is already CANCELLED)', () => {
    order
      .given([...pending, timedOut()])
      .when(cancelOrder(20))
      .thenThrows(/already CANCELLED \(reason TIMED_OUT\)/);
  });

  it('fails loudly for an order that does not exist', () => {
    order.given([]).when(deadlinePassed()).thenThrows(OrderNotFound);
  });
});

describe('CancelOrder (customer)', () => {
  it('cancels a PENDING order: CANCELLED(CUSTOMER_REQUEST) + OrderCancelled', () => {
    order
      .given(priced)
      .when(cancelOrder())
      .then([orderCancelled('CUSTOMER_REQUEST', 'PENDING', 9)]);
  });

  it('cancels a CONFIRMED order not yet dispatched, keeping the authorization for the record', () => {
    order
      .given(confirmed)
      .when(cancelOrder())
      .then([orderCancelled('CUSTOMER_REQUEST', 'CONFIRMED', 9)]);
    order
      .given(confirmed)
      .when(cancelOrder())
      .thenState((s) =>
        expect(s).toMatchObject({
          status: 'CANCELLED',
          reason: 'CUSTOMER_REQUEST',
          previousStatus: 'CONFIRMED',
          authorization: { paymentId: PAYMENT_ID },
        }),
      );
  });

  it('refuses once the shipment was dispatched, saying so', () => {
    order.given(dispatched).when(cancelOrder()).thenThrows(OrderRejected);
    order
      .given(dispatched)
      .when(cancelOrder())
      .thenThrows(/CONFIRMED and its shipment shp_9 was dispatched/);
  });

  it('refuses on a CANCELLED or COMPLETED order, naming the status and why', () => {
    order
      .given(outOfStock)
      .when(cancelOrder())
      .thenThrows(/already CANCELLED \(reason OUT_OF_STOCK\)/);
    order
      .given(completed)
      .when(cancelOrder())
      .thenThrows(/is COMPLETED/);
  });

  it('carries the status on the rejection, for the API to answer 409', () => {
    try {
      run(cancelOrder(), stateAfter(dispatched));
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'OrderNotCancellable', status: 'CONFIRMED' });
    }
  });

  it('fails for an order that does not exist', () => {
    order.given([]).when(cancelOrder()).thenThrows(OrderNotFound);
  });
});

describe('races and redeliveries', () => {
  it('a cancellation that overtook the reservation and the charge leaves the order CANCELLED', () => {
    const history = [orderPlaced(), orderCancelled('CUSTOMER_REQUEST', 'PENDING', 1)];
    for (const late of [stockReserved(2), paymentAuthorized(3), paymentDeclined(3)]) {
      order.given(history).when(late).thenNothing();
    }
  });

  it('replaying the whole journey on a COMPLETED order changes nothing', () => {
    for (const again of [
      stockReserved(),
      paymentAuthorized(),
      shipmentDispatched(),
      shipmentDelivered(),
      stockReservationFailed(),
      paymentDeclined(),
    ]) {
      order.given(completed).when(again).thenNothing();
    }
  });

  it('whatever the order and duplication of StockReserved and PaymentAuthorized, confirms exactly once', () => {
    const arrivals = fc.array(fc.constantFrom('stock', 'payment'), { minLength: 2, maxLength: 8 });
    fc.assert(
      fc.property(arrivals, fc.nat(), (sequence, seed) => {
        // Make sure each arrives at least once, at a position chosen by the seed.
        const all = [...sequence];
        all.splice(seed % (all.length + 1), 0, 'stock');
        all.splice((seed >> 3) % (all.length + 1), 0, 'payment');
        let state: OrderState = stateAfter(pending);
        const emitted: OrderEvent[] = [];
        all.forEach((kind, i) => {
          const command: OrderCommand =
            kind === 'stock' ? stockReserved(i + 1) : paymentAuthorized(i + 1);
          const { events, order: next } = run(command, state);
          emitted.push(...events);
          state = next;
        });
        const confirmations = emitted.filter((e) => e.type === 'OrderConfirmed');
        expect(confirmations).toHaveLength(1);
        expect(confirmations[0]).toMatchObject({
          paymentId: PAYMENT_ID,
          data: { lines: pricedLines, amountCents: AMOUNT, currency: 'USD' },
        });
        expect(state).toMatchObject({ status: 'CONFIRMED', pricing });
      }),
    );
  });

  it('once cancelled, no sequence of events changes the order again', () => {
    const commands = [
      stockReserved(),
      stockReservationFailed(),
      paymentAuthorized(),
      paymentDeclined(),
      shipmentDispatched(),
      shipmentDelivered(),
      deadlinePassed(),
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...commands), { maxLength: 10 }), (sequence) => {
        const start = stateAfter(outOfStock);
        const end = sequence.reduce<OrderState>((s, c) => run(c, s).order, start);
        expect(end).toEqual(start);
      }),
    );
  });

  it('evolve refuses an event its state does not allow (a bug in decide, not data to guess at)', () => {
    expect(() => evolve(stateAfter(outOfStock), orderConfirmed())).toThrow(
      /Cannot apply OrderConfirmed to an order in status CANCELLED/,
    );
    expect(() => evolve(noOrder, stockPriced())).toThrow(/status NONE/);
  });
});
