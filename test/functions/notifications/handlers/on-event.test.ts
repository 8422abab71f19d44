import { describe, expect, it } from 'vitest';
import type { Notification } from '../../../../functions/notifications/domain/notification.js';
import { makeOnEvent } from '../../../../functions/notifications/handlers/on-event.js';
import type { SaveNotification } from '../../../../functions/notifications/ports.js';
import { cancelled, confirmed, delivered, dispatched } from '../fixtures.js';
import { busMessage, context, sqsEvent } from '../../../support/lambda-events.js';

/** An in-memory table with the adapter's rule: one notification per eventId. */
function fakeInbox() {
  const byEventId = new Map<string, Notification>();
  const save: SaveNotification = async (n) => {
    if (byEventId.has(n.eventId)) return 'duplicate';
    byEventId.set(n.eventId, n);
    return 'recorded';
  };
  return { save, all: () => [...byEventId.values()] };
}

describe('notifications on-event', () => {
  it('records one notification for each customer-facing event', async () => {
    const inbox = fakeInbox();
    const events = [confirmed(), dispatched(), delivered(), cancelled('CUSTOMER_REQUEST')];
    const res = await makeOnEvent(inbox)(sqsEvent(...events.map(busMessage)), context);
    expect(res.batchItemFailures).toEqual([]);
    expect(inbox.all().map((n) => n.kind)).toEqual([
      'ORDER_CONFIRMED',
      'SHIPMENT_DISPATCHED',
      'SHIPMENT_DELIVERED',
      'ORDER_CANCELLED',
    ]);
    expect(inbox.all().map((n) => n.eventId)).toEqual(events.map((e) => e.detail.metadata.eventId));
  });

  it('records a redelivered event once, and does not fail it', async () => {
    const inbox = fakeInbox();
    const event = busMessage(confirmed());
    const res = await makeOnEvent(inbox)(sqsEvent(event, event), context);
    expect(res.batchItemFailures).toEqual([]);
    expect(inbox.all()).toHaveLength(1);
  });

  it('fails only a message that breaks its contract, recording nothing for it', async () => {
    const inbox = fakeInbox();
    const bad = busMessage(dispatched());
    (bad.detail.data as { trackingNumber: unknown }).trackingNumber = '';
    const res = await makeOnEvent(inbox)(sqsEvent(bad, busMessage(delivered())), context);
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: 'msg-0' }]);
    expect(inbox.all().map((n) => n.kind)).toEqual(['SHIPMENT_DELIVERED']);
  });

  it('fails a message whose save failed, so SQS redelivers it', async () => {
    const inbox = fakeInbox();
    const first = busMessage(confirmed());
    const res = await makeOnEvent({
      save: async (n) => {
        if (n.eventId === first.detail.metadata.eventId) throw new Error('throttled');
        return inbox.save(n);
      },
    })(sqsEvent(first, busMessage(dispatched())), context);
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: 'msg-0' }]);
    expect(inbox.all().map((n) => n.kind)).toEqual(['SHIPMENT_DISPATCHED']);
  });
});
