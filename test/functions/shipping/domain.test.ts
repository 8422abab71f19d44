import { describe, expect, it } from 'vitest';
import { decide } from '../../../functions/shipping/domain/decide.js';
import { handle, shipmentDecider } from '../../../functions/shipping/domain/decider.js';
import { ShipmentRejection } from '../../../functions/shipping/domain/errors.js';
import { evolve } from '../../../functions/shipping/domain/evolve.js';
import type {
  CarrierUpdate,
  PublishedShipmentEvent,
  ShipmentCommand,
  ShipmentEvent,
} from '../../../functions/shipping/domain/messages.js';
import {
  initialState,
  shipmentIdFor,
  type Shipment,
} from '../../../functions/shipping/domain/state.js';
import { spec } from '../../support/given-when-then.js';
import { cancelled, clock, confirmed, scheduled } from './fixtures.js';

/** The published events a command decides (the internal ones are checked through handle). */
const shipping = spec<Shipment, ShipmentCommand, ShipmentEvent>({
  initialState,
  decide: (command, state): PublishedShipmentEvent[] => decide(command, state, clock),
  evolve,
});

const update = (type: CarrierUpdate['type'], carrierEventId = `c-${type}`): ShipmentCommand => ({
  type: 'RecordCarrierUpdate',
  update: {
    carrierEventId,
    type,
    carrier: 'ACME',
    trackingNumber: 'TRK1',
    occurredAt: '2026-11-22T09:00:00.000Z',
  },
  cause: { correlationId: 'ord_1', causationId: `carrier:${carrierEventId}` },
});
const dispatchedFact = (state: Shipment) => handle(update('DISPATCHED'), state, clock);

const types = (events: readonly { detailType: string }[]) => events.map((e) => e.detailType);

describe('shipping: a shipment per confirmed order', () => {
  it('given nothing, when the order is confirmed, then a shipment is scheduled', () => {
    const order = confirmed();
    const events = decide({ type: 'ScheduleShipment', event: order }, initialState, clock);
    expect(types(events)).toEqual(['ShipmentScheduled']);
    expect(events[0]!.detail.data).toEqual({
      shipmentId: 'shp_ord_1',
      orderId: 'ord_1',
      customerId: 'cus_1',
      shippingAddressCiphertext: order.detail.data.shippingAddressCiphertext,
    });
    expect(events[0]!.detail.metadata).toMatchObject({
      correlationId: 'ord_1',
      causationId: order.detail.metadata.eventId,
    });
  });

  it('given a scheduled shipment, when the confirmation is redelivered, then nothing happens', () => {
    shipping
      .given([scheduled()])
      .when({ type: 'ScheduleShipment', event: confirmed() })
      .thenNothing();
  });

  it('given a scheduled shipment, when the order is cancelled, then the shipment is cancelled', () => {
    const events = decide(
      { type: 'CancelShipment', event: cancelled() },
      evolve(initialState, scheduled()),
      clock,
    );
    expect(types(events)).toEqual(['ShipmentCancelled']);
  });

  it('given nothing, when the cancellation overtakes the confirmation, then no shipment is ever scheduled', () => {
    const { events, next } = handle(
      { type: 'CancelShipment', event: cancelled() },
      initialState,
      clock,
    );
    expect(events).toEqual([]);
    expect(next).toEqual({ status: 'VOID', shipmentId: 'shp_ord_1', orderId: 'ord_1' });
    shipping
      .given([{ detailType: 'Voided', shipmentId: 'shp_ord_1', orderId: 'ord_1' }])
      .when({ type: 'ScheduleShipment', event: confirmed() })
      .thenNothing();
  });

  it('given a dispatched shipment, when the order is cancelled, then it is too late: nothing happens', () => {
    const dispatched = dispatchedFact(evolve(initialState, scheduled())).next;
    expect(dispatched.status).toBe('DISPATCHED');
    expect(decide({ type: 'CancelShipment', event: cancelled() }, dispatched, clock)).toEqual([]);
  });

  it('given a cancelled shipment, when the cancellation is redelivered, then nothing happens', () => {
    const cancelledState = handle(
      { type: 'CancelShipment', event: cancelled() },
      evolve(initialState, scheduled()),
      clock,
    ).next;
    expect(cancelledState.status).toBe('CANCELLED');
    expect(decide({ type: 'CancelShipment', event: cancelled() }, cancelledState, clock)).toEqual(
      [],
    );
  });
});

describe('shipping: carrier updates', () => {
  const scheduledState = evolve(initialState, scheduled());

  it('dispatch then delivery emit ShipmentDispatched then ShipmentDelivered', () => {
    const first = handle(update('DISPATCHED'), scheduledState, clock);
    expect(types(first.events)).toEqual(['ShipmentDispatched']);
    expect(first.events[0]!.detail.data).toMatchObject({ carrier: 'ACME', trackingNumber: 'TRK1' });
    const second = handle(update('DELIVERED'), first.next, clock);
    expect(types(second.events)).toEqual(['ShipmentDelivered']);
    expect(second.next).toMatchObject({
      status: 'DELIVERED',
      deliveredAt: '2026-11-22T09:00:00.000Z',
    });
  });

  it('a re-sent carrier event (same id) changes nothing', () => {
    const first = handle(update('DISPATCHED'), scheduledState, clock);
    const again = handle(update('DISPATCHED'), first.next, clock);
    expect(again.events).toEqual([]);
    expect(again.next).toBe(first.next);
  });

  it('delivery before dispatch is rejected, naming the status', () => {
    expect(() => decide(update('DELIVERED'), scheduledState, clock)).toThrow(ShipmentRejection);
    expect(() => decide(update('DELIVERED'), scheduledState, clock)).toThrow(/SCHEDULED/);
  });

  it('a cancelled shipment cannot be dispatched', () => {
    const cancelledState = handle(
      { type: 'CancelShipment', event: cancelled() },
      scheduledState,
      clock,
    ).next;
    expect(() => decide(update('DISPATCHED'), cancelledState, clock)).toThrow(/cancelled/);
  });

  it('an update for a shipment never scheduled is rejected', () => {
    expect(() => decide(update('DISPATCHED'), initialState, clock)).toThrow(/No shipment/);
  });
});

describe('shipment ids', () => {
  it('derive from the order id, and stay within 64 characters', () => {
    expect(shipmentIdFor('ord_1')).toBe('shp_ord_1');
    const long = 'o'.repeat(64);
    expect(shipmentIdFor(long)).toMatch(/^shp_[0-9a-f]{40}$/);
    expect(shipmentIdFor(long)).toBe(shipmentIdFor(long));
  });
});

describe('shipping as one decider (published and internal events)', () => {
  const decider = spec(shipmentDecider(clock));

  it('given nothing, when the order is cancelled, then the shipment is voided and nothing is published', () => {
    decider
      .given([])
      .when({ type: 'CancelShipment', event: cancelled() })
      .then([{ detailType: 'Voided', shipmentId: 'shp_ord_1', orderId: 'ord_1' }]);
  });

  it('folds to the same state as handle', () => {
    decider
      .given([scheduled()])
      .when(update('DISPATCHED'))
      .thenState((next) =>
        expect(next).toEqual(dispatchedFact(evolve(initialState, scheduled())).next),
      );
  });
});
